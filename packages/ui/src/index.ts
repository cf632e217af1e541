export {
  type ApiClient,
  type ApiError,
  ApiProviders,
  makeTrpcClient,
  TRPC_URL,
  type Trpc,
  useTRPC,
  useTRPCClient,
} from './api-client.tsx';
export { fieldErrors, formError } from './api-errors.ts';
export { Field, SelectField, TextAreaField } from './field.tsx';
export { PageFailed, PageMissing } from './page-problem.tsx';
export { useHydrated } from './use-hydrated.ts';
