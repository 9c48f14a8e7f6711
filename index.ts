/**
 * tila-platform: one program, five stacks. `pulumi up --stack <name>` builds the stack named by
 * `pulumi.getStack()`: `management` (the hub) or an environment (`dev`, `stage`, `preprod`, `prod`).
 * The offline engine (`npm run plan`) runs this same file under the mocked engine.
 */
import { buildStack } from "./stacks";

export = buildStack();
