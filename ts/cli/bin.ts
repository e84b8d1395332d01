// Executable of the operator CLI: `bin/gaib ...`, `npx gaib ...` or `npm run gaib -- ...`.
import {runCli} from "./program.ts";

const {code} = await runCli(process.argv.slice(2));
process.exit(code);
