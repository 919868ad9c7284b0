import { describeCommittedStack } from "./stacks";

describeCommittedStack("prod-zones");
