/**
 * Where this repository is: the project the plan runs when no other is named. Its own module so
 * the CLI can name it without importing the engine (and with it the Pulumi SDK) at start-up.
 */
import * as path from "path";

export const DEFAULT_PROJECT_DIR = path.resolve(__dirname, "..");
