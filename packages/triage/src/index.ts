export {
  type Amount,
  type BudgetLedger,
  type BudgetLimits,
  type BudgetRefusal,
  type BudgetScope,
  type BudgetSubjects,
  createBudgetLedger,
  describeRefusal,
  type Limit,
  type Reservation,
} from "./budgets/budget-ledger.js";
export {
  costMicros,
  DEFAULT_PRICE_TABLE,
  type ModelPrice,
  modelPriceSchema,
  type PriceTable,
  priceFor,
  type TokenUsage,
  totalTokens,
} from "./budgets/price-table.js";
export { canSteer, type PrCommand, parsePrCommand } from "./commands/parse-pr-command.js";
export { type FailureSignature, failureSignature } from "./signature/failure-signature.js";
export { normalizeErrorLine } from "./signature/normalize-error-line.js";
export { createSignatureStore, type FixRecord, type SignatureStore } from "./signature/signature-store.js";
