export { registrationWorkflow } from './registration';
export { passwordExpiryWorkflow } from './password-expiry';
export { passwordReminderWorkflow } from './password-reminder';
export { permissionRequestWorkflow } from './permission-request';
export { identityMergeWorkflow } from './identity-merge';
