import { describeCommittedStack } from "./stacks";

describeCommittedStack("byo-cluster");
