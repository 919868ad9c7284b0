import { describeCommittedStack } from "./stacks";

describeCommittedStack("staging");
