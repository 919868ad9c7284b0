import { describeCommittedStack } from "./stacks";

describeCommittedStack("byo-kubeconfig");
