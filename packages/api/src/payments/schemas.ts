export { holdIdInput } from '../tickets/schemas.ts';
