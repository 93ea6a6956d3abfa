import { ApplicationFailure, allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { activities, STEP } from './activity-options';
import {
  cancelDataRequest,
  getDataRequestStatus,
  replyToDataRequest,
  type DataReply,
  type DataRequestInput,
  type DataRequestStatus,
  type DataRequestView,
} from './messages';
import { dataReplyRefusal } from './rules/report';

const acts = activities(STEP);

/**
 * One data request of a report (to another department or an external unit), a child of the report
 * workflow: mailed to the recipient, reminded once before its deadline, marked late after it, and closed
 * by the reply the unit records (attached to the report's history and documents) or by a cancellation.
 * The recipient's e-mail stays in the sealed input and the outbox; the history text names them only.
 */
export async function reportDataRequestWorkflow(input: DataRequestInput): Promise<DataRequestView> {
  const { requestId, reportId } = input;
  const key = (s: string) => `${requestId}:${s}`;
  const state = {
    status: 'open' as DataRequestStatus,
    overdue: false,
    remindersSent: 0,
    reply: null as DataReply | null,
    cancel: null as { reason: string; by: string } | null,
  };
  const view = (): DataRequestView => ({ requestId, status: state.status, dueDate: input.plan.dueDate, overdue: state.overdue, remindersSent: state.remindersSent });
  const refuse = (r: { type: string; message: string } | null) => {
    if (r) throw ApplicationFailure.nonRetryable(r.message, r.type);
  };
  const closing = () => state.reply !== null || state.cancel !== null;

  setHandler(getDataRequestStatus, view);
  setHandler(
    replyToDataRequest,
    async (reply) => {
      state.reply = reply;
      await condition(() => state.status !== 'open');
      return view();
    },
    { validator: (reply) => refuse(dataReplyRefusal(state.status, closing(), reply.text)) },
  );
  setHandler(
    cancelDataRequest,
    async (cancel) => {
      state.cancel = cancel;
      await condition(() => state.status !== 'open');
      return view();
    },
    { validator: (_cancel) => refuse(dataReplyRefusal(state.status, closing(), null)) },
  );

  const mailVars = { requestedBy: input.requestedBy, subject: input.subject, dueDate: input.plan.dueDate, formCode: input.formCode, formName: input.formName, period: input.period, unitName: input.unitName };
  await acts.openDataRequest({
    requestId,
    reportId,
    recipientName: input.recipient.name,
    subject: input.subject,
    dueDate: input.plan.dueDate,
    requestedBy: input.requestedBy,
    mail: { key: key('request'), to: input.recipient.email, vars: { ...mailVars, kind: 'request', recipientName: input.recipient.name } },
  });

  while (state.status === 'open') {
    if (state.reply) {
      await acts.recordDataReply({ requestId, reportId, recipientName: input.recipient.name, reply: state.reply, key: key('reply') });
      state.status = 'answered';
      break;
    }
    if (state.cancel) {
      await acts.closeDataRequest({ requestId, reportId, status: 'cancelled', key: key('cancelled'), actor: state.cancel.by, message: `Anulowano prośbę o dane (${input.recipient.name}). Powód: ${state.cancel.reason}` });
      state.status = 'cancelled';
      break;
    }
    const reminderDue = input.plan.reminderAt !== null && state.remindersSent === 0;
    const next = reminderDue ? Date.parse(input.plan.reminderAt!) : state.overdue ? null : Date.parse(input.plan.deadlineAt);
    if (next === null) {
      await condition(closing);
      continue;
    }
    if (await condition(closing, Math.max(0, next - Date.now()))) continue;
    if (reminderDue) {
      state.remindersSent++;
      await acts.sendDataRequestReminder({
        requestId,
        reportId,
        mail: { key: key('reminder'), to: input.recipient.email, vars: { ...mailVars, kind: 'reminder', recipientName: input.recipient.name } },
        event: { key: key('reminder-event'), type: 'data_request_reminded', actor: 'system', message: `Przypomniano o prośbie o dane (${input.recipient.name}); termin ${input.plan.dueDate}` },
      });
    } else {
      state.overdue = true;
      await acts.closeDataRequest({ requestId, reportId, status: null, overdue: true, key: key('overdue'), actor: 'system', message: `Minął termin odpowiedzi na prośbę o dane (${input.recipient.name}, ${input.plan.dueDate}); prośba czeka dalej na odpowiedź` });
    }
  }

  await condition(allHandlersFinished);
  return view();
}
