import { describeCommittedStack } from "./stacks";

describeCommittedStack("byo-vpc");
