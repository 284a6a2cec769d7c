export {
  decideSparseCheckout,
  type RepositorySize,
  SPARSE_GO_WORK,
  type SparsePlan,
  type SparsePlanInput,
  sparseCheckoutPlan,
  trimGoWork,
} from "./sparse-plan.js";
