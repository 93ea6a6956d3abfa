import { taskDecisionRefusal } from '../../workflows/rules/decision';
import { ErrorTypes, type RegistrationDecision } from '../../workflows/messages';

// The checks every decision task shares (workflows/rules/decision.ts), after each process's own "does it
// await a decision" check.

describe('taskDecisionRefusal', () => {
  const accept: RegistrationDecision = { taskId: 'task-1', decision: 'accept', decidedBy: 'adm-woj-26' };
  const reject = (reason?: string): RegistrationDecision => ({ taskId: 'task-1', decision: 'reject', reason, decidedBy: 'adm-woj-26' });

  it.each([
    ['accept on the open task', 'task-1', accept, null],
    ['accept needs no reason', 'task-1', { ...accept, reason: '' }, null],
    ['reject with a three-letter reason', 'task-1', reject('abc'), null],
    ['reject with a reason padded to three', 'task-1', reject(' ab '), ErrorTypes.reasonRequired],
    ['reject without a reason', 'task-1', reject(), ErrorTypes.reasonRequired],
    ['another task', 'task-1', { ...accept, taskId: 'task-0' }, ErrorTypes.taskMismatch],
    ['no open task', null, accept, ErrorTypes.taskMismatch],
    ['another task and no reason: the task is named first', 'task-2', reject(), ErrorTypes.taskMismatch],
  ] as const)('%s', (_title, openTaskId, decision, type) => {
    expect(taskDecisionRefusal(openTaskId, decision)?.type ?? null).toBe(type);
  });

  it('keeps the Polish messages the API shows, the reason message per process', () => {
    expect(taskDecisionRefusal('task-1', { ...accept, taskId: 'x' })).toEqual({ type: ErrorTypes.taskMismatch, message: 'To zadanie nie jest już otwarte' });
    expect(taskDecisionRefusal('task-1', reject())).toEqual({ type: ErrorTypes.reasonRequired, message: 'Odrzucenie wymaga podania powodu' });
    expect(taskDecisionRefusal('task-1', reject(), 'Zwrot do korekty wymaga uwag dla jednostki')).toEqual({
      type: ErrorTypes.reasonRequired,
      message: 'Zwrot do korekty wymaga uwag dla jednostki',
    });
  });
});
