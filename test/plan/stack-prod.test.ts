import { describeCommittedStack } from "./stacks";

describeCommittedStack("prod");
