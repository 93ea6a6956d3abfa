import type { MikroORM } from '@mikro-orm/postgresql';
import { activeAccountIdByLogin } from '../db/queries/accounts';
import { standingDesignation } from '../db/queries/designations';
import type { ReportPerson, StandingReportPeople } from '../workflows/messages';

// seed 002 §I.4-5, §II.5: a new report takes up the head's standing designation for its area.

export function createDesignationActivities({ orm }: { orm: MikroORM }) {
  return {
    /** The standing designation with its people's accounts; a person no longer active is left out (null: none). */
    async standingReportPeople(input: { unitCode: string; area: string }): Promise<StandingReportPeople | null> {
      const em = orm.em.fork();
      const [d] = await standingDesignation(em, input.unitCode, input.area);
      if (!d) return null;
      const person = async (login: string | null): Promise<ReportPerson | null> => {
        if (!login) return null;
        const [a] = await activeAccountIdByLogin(em, login);
        return a ? { accountId: a.id, login } : null;
      };
      const responsible = await person(d.responsible);
      if (!responsible) return null;
      return { responsible, substitute: await person(d.substitute), secondLevel: await person(d.second_level), designatedBy: d.designated_by };
    },
  };
}
