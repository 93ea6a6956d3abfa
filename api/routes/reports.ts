// scripts/bench-survey.ts still imports planFor from here (scripts/ is another engineer's); the routes
// live in api/report/routes.ts. Delete this line once that import points there.
export { planFor } from '../report/routes';
