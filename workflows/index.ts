export { registrationWorkflow } from './registration';
export { passwordExpiryWorkflow } from './password-expiry';
export { passwordReminderWorkflow } from './password-reminder';
