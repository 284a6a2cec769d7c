export {
  decideSparseCheckout,
  type RepositorySize,
  SPARSE_GO_WORK,
  type SparsePlan,
  type SparsePlanInput,
  sparseCheckoutPlan,
} from "./sparse-plan.js";
