import { describeCommittedStack } from "./stacks";

describeCommittedStack("dev");
