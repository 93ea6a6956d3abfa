import { DefaultFailureConverter } from '@temporalio/common';

// Failure messages and stack traces carry whatever the error held (an SQL statement with an applicant's
// name, a template's data): with encodeCommonAttributes they travel as a payload, sealed by the payload
// codec like every other payload, and the history shows only "Encoded failure". Loaded by path
// (DataConverter.failureConverterPath), so the workflow sandbox, the worker and every client use it.
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
