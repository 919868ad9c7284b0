/**
 * The dev stack's real bootstrap.sh, run by bash against the 3FS model: a first deploy from an empty
 * cluster, a second run that changes nothing, and the bring-ups that go wrong in real clusters (an mgmtd
 * pod that stays Pending, a storage pod restarting mid-bootstrap, FoundationDB slow to answer). Model time
 * runs through shims of `sleep`, `date` and `timeout`: every limit the script enforces is exercised.
 */
import { bootstrapScenarios } from "./bootstrapScenarios";

bootstrapScenarios("dev");
