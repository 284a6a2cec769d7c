export { inferVerifyCommand, shellWord, type VerifyCommand } from "./infer-verify-command.js";
