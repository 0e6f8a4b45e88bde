import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { config, PIPELINE, STAGES, stage, UNKNOWN_CRM } from '../../tests/support/crm-model';
import { SalesFunnelCreate } from '../comagic/schemas';
import type { CrmId, CrmStage } from '../crm/model';
import { sitePrefixOf } from '../settings';
import {
  checkConfig,
  confirmSyntheticStage,
  funnelCreatePayload,
  generateMapping,
  isProposed,
  type MappingConfig,
  MappingConfigSchema,
  mergeNewStages,
  overrideStage,
  recognizeStatus,
} from './funnel';

const SITE = 'https://crm.example.com';
const EXT = { extIdTemplate: '{id}', prefix: 'espo-' };

function generate(stages: CrmStage[], crm: CrmId = 'espocrm') {
  return generateMapping({ crm, site: SITE, pipeline: PIPELINE, stages }, EXT);
}

const codes = (problems: { code: string }[]) => problems.map((problem) => problem.code);
/** [CRM stage id, order] of the in-process stages, by order. */
const inProcessOrders = (cfg: MappingConfig) =>
  cfg.stages
    .filter((s) => s.status === 'in_process')
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .map((s) => [s.crmStageId, s.order] as const);

/** A user's edit of one stage's order, to an order no other stage has (the user's own duplicates are reported). */
function editFreeOrder(cfg: MappingConfig, at: number, order: number): MappingConfig {
  const inProcess = cfg.stages.filter((s) => s.status === 'in_process' && s.crmStageId !== null);
  const target = inProcess[at % inProcess.length];
  if (!target?.crmStageId || inProcess.some((s) => s.order === order)) return cfg;
  return overrideStage(cfg, target.crmStageId, { order });
}
const entry = (cfg: MappingConfig, crmStageId: string | null) =>
  cfg.stages.find((s) => s.crmStageId === crmStageId);

describe('recognizeStatus', () => {
  it.each(['Won', 'Closed Won', 'closed_won', 'Успешно реализовано', 'Выиграно', 'Сделка заключена'])(
    'reads "%s" as won',
    (name) => {
      expect(recognizeStatus(stage('x', name))).toBe('success');
    },
  );

  it.each(['Lost', 'Closed Lost', 'Closed-Lost', 'Закрыто и не реализовано', 'Проиграно', 'ОТКАЗ'])(
    'reads "%s" as lost',
    (name) => {
      expect(recognizeStatus(stage('x', name))).toBe('failed');
    },
  );

  it('reads the language-independent id when the label is translated', () => {
    expect(recognizeStatus(stage('Closed Won', 'Сделка состоялась?'))).toBe('success');
  });

  it("prefers the adapter's hint to the name", () => {
    expect(recognizeStatus(stage('142', 'Оплачено', 'won'))).toBe('success');
    expect(recognizeStatus(stage('143', 'Не пришёл', 'lost'))).toBe('failed');
    expect(recognizeStatus(stage('won', 'Won', 'in_progress'))).toBe('in_process');
  });

  it('leaves other stages in process, without matching parts of names', () => {
    expect(recognizeStatus(stage('x', 'Отказ от звонка перенесён'))).toBe('in_process');
    expect(recognizeStatus(stage('x', 'Negotiation'))).toBe('in_process');
  });
});

describe('generateMapping', () => {
  it('orders in-process stages 10, 20, 30 in board order and finds won and lost', () => {
    const { config: cfg, problems } = generate(Object.values(STAGES));
    expect(problems).toEqual([]);
    expect(cfg.funnel).toEqual({ extId: 'espo-main', name: 'Sales' });
    expect(cfg.stages.map((s) => [s.crmStageId, s.status, s.order, s.extId])).toEqual([
      ['new', 'in_process', 10, 'espo-main:new'],
      ['qualified', 'in_process', 20, 'espo-main:qualified'],
      ['proposal', 'in_process', 30, 'espo-main:proposal'],
      ['won', 'success', null, 'espo-main:won'],
      ['lost', 'failed', null, 'espo-main:lost'],
    ]);
    expect(cfg.stages.every((s) => !s.userEdited)).toBe(true);
    expect(MappingConfigSchema.parse(cfg)).toEqual(cfg);
  });

  it('proposes a lost stage where the CRM says nothing of one, with a warning that never blocks', () => {
    const { config: cfg, problems } = generate([STAGES.new, STAGES.won], UNKNOWN_CRM);
    expect(entry(cfg, null)).toMatchObject({ status: 'failed', name: 'Lost', userEdited: false });
    expect(isProposed(cfg, entry(cfg, null)!)).toBe(true);
    expect(codes(problems)).toEqual(['terminal_stage_proposed']);
    expect(problems[0]?.severity).toBe('warning');
    expect(problems[0]?.message.en).toContain('Change it in Options → Mapping if that is wrong');
    expect(problems[0]?.message.ru).toContain('Измените его');
    expect(funnelCreatePayload(cfg).params?.stages.failed).toEqual({
      ext_id: 'espo-main:lost',
      name: 'Lost',
    });
  });

  it('names the proposed stage in Russian for a Russian pipeline', () => {
    const { config: cfg } = generate([stage('1', 'Новая'), stage('2', 'Успешно реализовано')], UNKNOWN_CRM);
    expect(entry(cfg, null)?.name).toBe('Закрыто и не реализовано');
  });

  it('proposes both outcomes for a pipeline that shows neither, and stays sendable', () => {
    const { config: cfg, problems } = generate([STAGES.new, STAGES.qualified], UNKNOWN_CRM);
    expect(codes(problems)).toEqual(['terminal_stage_proposed', 'terminal_stage_proposed']);
    expect(problems.every((problem) => problem.severity === 'warning')).toBe(true);
    expect(funnelCreatePayload(cfg).params).not.toBeNull();
  });

  it('maps a second lost column onto the first, with a warning', () => {
    const { config: cfg, problems } = generate([
      STAGES.new,
      STAGES.won,
      STAGES.lost,
      stage('LOSE2', 'Отказ'),
    ]);
    expect(entry(cfg, 'LOSE2')).toMatchObject({
      status: 'failed',
      extId: 'espo-main:lost',
      name: 'Closed Lost',
    });
    expect(codes(problems)).toEqual(['terminal_stages_merged']);
  });

  it('accepts 98 in-process stages and reports 99', () => {
    const many = (count: number) => [
      ...Array.from({ length: count }, (_, i) => stage(`s${i}`, `Stage ${i}`)),
      STAGES.won,
      STAGES.lost,
    ];
    expect(generate(many(98)).problems).toEqual([]);
    expect(codes(generate(many(99)).problems)).toEqual(['too_many_stages']);
  });

  it('reports a pipeline with only won and lost', () => {
    expect(codes(generate([STAGES.won, STAGES.lost]).problems)).toEqual(['no_in_process_stage']);
  });
});

describe('won and lost stages a deal page did not show', () => {
  const terminals = (cfg: MappingConfig) =>
    cfg.stages
      .filter((s) => s.status !== 'in_process')
      .map((s) => [s.crmStageId, s.crmStageName, s.extId, s.name, s.status]);

  it('adds amoCRM’s statuses 142 and 143, named in the page’s language, with no problem', () => {
    const ru = generate([stage('41001', 'Первичный контакт', 'in_progress')], 'amocrm');
    expect(terminals(ru.config)).toEqual([
      ['142', 'Успешно реализовано', 'espo-main:142', 'Успешно реализовано', 'success'],
      ['143', 'Закрыто и не реализовано', 'espo-main:143', 'Закрыто и не реализовано', 'failed'],
    ]);
    expect(ru.problems).toEqual([]);
    const en = generate([stage('52001', 'Incoming leads', 'in_progress')], 'amocrm');
    expect(terminals(en.config).map(([id, name]) => [id, name])).toEqual([
      ['142', 'Closed - won'],
      ['143', 'Closed - lost'],
    ]);
  });

  it('lets a board read later merge with them: no stage added, nothing changed', () => {
    const { config: cfg } = generate([stage('41001', 'Первичный контакт', 'in_progress')], 'amocrm');
    const board = [
      stage('41001', 'Первичный контакт', 'in_progress'),
      stage('142', 'Успешно реализовано', 'won'),
      stage('143', 'Закрыто и не реализовано', 'lost'),
    ];
    expect(mergeNewStages(cfg, board)).toEqual({ config: cfg, problems: [] });
  });

  it('adds EspoCRM’s Closed Won and Closed Lost, and takes a Russian label for the enum value it stands for', () => {
    const page = [
      stage('Prospecting', 'Привлечение клиента', 'in_progress'),
      stage('Закрыто - Успех', 'Закрыто - Успех', 'won'),
    ];
    const { config: cfg, problems } = generate(page, 'espocrm');
    expect(terminals(cfg)).toEqual([
      ['Closed Won', 'Закрыто - Успех', 'espo-main:Closed Won', 'Закрыто - Успех', 'success'],
      ['Closed Lost', 'Закрыто - Провал', 'espo-main:Closed Lost', 'Закрыто - Провал', 'failed'],
    ]);
    expect(problems).toEqual([]);
    const board = [
      stage('Closed Won', 'Закрыто - Успех', 'won'),
      stage('Closed Lost', 'Закрыто - Провал', 'lost'),
    ];
    expect(mergeNewStages(cfg, board)).toEqual({ config: cfg, problems: [] });
  });

  it('keeps a stage with an id of its own that only shares a known name', () => {
    const { config: cfg } = generate([STAGES.new, STAGES.won], 'espocrm');
    expect(entry(cfg, 'won')).toMatchObject({ status: 'success', extId: 'espo-main:won' });
    expect(entry(cfg, 'Closed Won')).toBeUndefined();
  });

  it('gives Odoo CoMagic’s lost stage for archived leads, not a proposal, and keeps a lost lead’s stage in process', () => {
    const { config: cfg, problems } = generate(
      [stage('New'), stage('Qualified', 'Qualified', 'lost'), stage('Won', 'Won', 'won')],
      'odoo',
    );
    expect(entry(cfg, 'Qualified')).toMatchObject({ status: 'in_process', order: 20 });
    expect(entry(cfg, null)).toMatchObject({ status: 'failed', name: 'Lost' });
    expect(isProposed(cfg, entry(cfg, null)!)).toBe(false);
    expect(problems).toEqual([]);
  });

  it('proposes Odoo’s won stage when the page did not show the stage flagged won', () => {
    const { config: cfg, problems } = generate([stage('New'), stage('Qualified')], 'odoo');
    const won = cfg.stages.find((s) => s.status === 'success')!;
    expect(isProposed(cfg, won)).toBe(true);
    expect(problems.map((p) => [p.code, p.severity])).toEqual([['terminal_stage_proposed', 'warning']]);
  });

  it('turns a synthetic stage stored by an earlier version into the CRM’s own, keeping its ext_id', () => {
    const { config: generated } = generate([STAGES.new, STAGES.won], UNKNOWN_CRM);
    const stored = {
      ...confirmSyntheticStage(generated, 'failed', { name: 'Отказ' }),
      crm: 'espocrm' as const,
    };
    const { config: cfg, problems } = mergeNewStages(stored, [STAGES.new]);
    expect(entry(cfg, null)).toBeUndefined();
    expect(entry(cfg, 'Closed Lost')).toMatchObject({
      extId: 'espo-main:lost',
      name: 'Отказ',
      status: 'failed',
      userEdited: true,
    });
    expect(problems).toEqual([]);
  });
});

describe('overrideStage', () => {
  it('applies the patch and marks the stage edited', () => {
    const cfg = overrideStage(config(), 'proposal', { name: 'КП отправлено', order: 35 });
    expect(entry(cfg, 'proposal')).toMatchObject({ name: 'КП отправлено', order: 35, userEdited: true });
    expect(entry(cfg, 'new')?.userEdited).toBe(false);
  });

  it('turning a stage into the lost stage joins the existing lost stage', () => {
    const cfg = overrideStage(config(), 'proposal', { status: 'failed' });
    expect(entry(cfg, 'proposal')).toMatchObject({
      status: 'failed',
      order: null,
      extId: 'main:lost',
      name: 'Closed Lost',
    });
    expect(checkConfig(cfg)).toEqual([]);
  });

  it('marking a column lost replaces the proposed synthetic stage, with no problem left', () => {
    const generated = config([STAGES.new, STAGES.qualified, STAGES.won], UNKNOWN_CRM);
    const cfg = overrideStage(generated, 'qualified', { status: 'failed' });
    expect(entry(cfg, null)).toBeUndefined();
    expect(entry(cfg, 'qualified')).toMatchObject({ status: 'failed', extId: 'main:lost' });
    expect(checkConfig(cfg)).toEqual([]);
  });

  it('turning the only won stage back to in process brings back a proposed won stage', () => {
    const cfg = overrideStage(config(Object.values(STAGES), UNKNOWN_CRM), 'won', { status: 'in_process' });
    expect(entry(cfg, 'won')).toMatchObject({ status: 'in_process', order: 40, extId: 'main:won' });
    expect(entry(cfg, null)).toMatchObject({ status: 'success', userEdited: false });
  });

  it('throws on a stage the config does not hold', () => {
    expect(() => overrideStage(config(), 'nope', { name: 'x' })).toThrow(RangeError);
  });
});

describe('confirmSyntheticStage', () => {
  it('clears the warning and keeps a rename', () => {
    const generated = config([STAGES.new, STAGES.won], UNKNOWN_CRM);
    const cfg = confirmSyntheticStage(generated, 'failed', { name: 'Отказ' });
    expect(entry(cfg, null)).toMatchObject({ name: 'Отказ', userEdited: true });
    expect(checkConfig(cfg)).toEqual([]);
  });

  it('throws when there is no synthetic stage of that outcome', () => {
    expect(() => confirmSyntheticStage(config(), 'failed')).toThrow(RangeError);
  });
});

describe('mergeNewStages', () => {
  it('gives a new stage the order between its neighbours and keeps user edits', () => {
    const edited = overrideStage(config(), 'proposal', { name: 'Offer' });
    const { config: cfg, problems } = mergeNewStages(edited, [
      STAGES.new,
      STAGES.qualified,
      stage('demo', 'Demo'),
      STAGES.proposal,
      STAGES.won,
    ]);
    expect(entry(cfg, 'demo')).toMatchObject({ order: 25, status: 'in_process', extId: 'main:demo' });
    expect(entry(cfg, 'proposal')).toMatchObject({ name: 'Offer', userEdited: true, order: 30 });
    expect(codes(problems)).toEqual(['stage_added']);
  });

  it('places new stages before the first and after the last', () => {
    const { config: cfg } = mergeNewStages(config(), [
      stage('lead', 'Lead'),
      STAGES.new,
      STAGES.proposal,
      stage('contract', 'Contract'),
      STAGES.won,
    ]);
    expect(entry(cfg, 'lead')?.order).toBe(5);
    expect(entry(cfg, 'contract')?.order).toBe(40);
  });

  it('never gives a new stage an order another stage has, when the page lists only some stages', () => {
    // A deal page shows the stages that deal passed: "qualified" (20) lies between the neighbours it shows.
    const { config: cfg } = mergeNewStages(config(), [STAGES.new, stage('demo', 'Demo'), STAGES.proposal]);
    expect(entry(cfg, 'demo')?.order).toBe(15);
    expect(checkConfig(cfg)).toEqual([]);
  });

  it('renumbers when no integer is free between the neighbours, keeping the user’s own order', () => {
    const tight = overrideStage(config(), 'qualified', { order: 11 });
    const { config: cfg, problems } = mergeNewStages(tight, [STAGES.new, stage('x', 'X'), STAGES.qualified]);
    expect(codes(problems)).toEqual(['stage_added', 'stages_renumbered']);
    expect(problems.every((problem) => problem.severity === 'warning')).toBe(true);
    const orders = inProcessOrders(cfg);
    expect(orders.map(([id]) => id)).toEqual(['new', 'x', 'qualified', 'proposal']);
    expect(entry(cfg, 'qualified')?.order).toBe(11);
    expect(checkConfig(cfg)).toEqual([]);
  });

  it('renumbers every stage 10, 20, 30 when even the user’s orders leave no room', () => {
    let tight = overrideStage(config(), 'new', { order: 10 });
    tight = overrideStage(tight, 'qualified', { order: 11 });
    const { config: cfg } = mergeNewStages(tight, [STAGES.new, stage('x', 'X'), STAGES.qualified]);
    expect(inProcessOrders(cfg)).toEqual([
      ['new', 10],
      ['x', 20],
      ['qualified', 30],
      ['proposal', 40],
    ]);
  });

  it('keeps in-process orders unique and from 1 to 10000 through any sequence of merges', () => {
    const pool = Array.from({ length: 12 }, (_, i) => stage(`s${i}`, `Stage ${i}`));
    const shown = fc.subarray(pool, { minLength: 1 }).chain((stages) => fc.shuffledSubarray(stages));
    const edit = fc.record({ at: fc.nat(), order: fc.integer({ min: 1, max: 40 }) });
    fc.assert(
      fc.property(shown, fc.array(fc.tuple(shown, fc.option(edit)), { maxLength: 8 }), (first, steps) => {
        let cfg = generate([...first, STAGES.won, STAGES.lost]).config;
        for (const [stages, userEdit] of steps) {
          if (userEdit) cfg = editFreeOrder(cfg, userEdit.at, userEdit.order);
          cfg = mergeNewStages(cfg, stages).config;
          const orders = inProcessOrders(cfg).map(([, order]) => order);
          expect(new Set(orders).size).toBe(orders.length);
          expect(orders.every((order) => order !== null && order >= 1 && order <= 10_000)).toBe(true);
        }
      }),
    );
  });

  it('lets a lost column found later take over the synthetic stage and its ext_id', () => {
    const confirmed = confirmSyntheticStage(config([STAGES.new, STAGES.won], UNKNOWN_CRM), 'failed', {
      name: 'Проиграна',
    });
    const synthetic = entry(confirmed, null);
    const { config: cfg, problems } = mergeNewStages(confirmed, [stage('Closed Lost', 'Closed Lost')]);
    expect(entry(cfg, null)).toBeUndefined();
    expect(entry(cfg, 'Closed Lost')).toMatchObject({
      status: 'failed',
      extId: synthetic?.extId,
      name: 'Проиграна',
    });
    expect(codes(problems)).toEqual(['stage_added']);
  });

  it('changes nothing when every stage is known', () => {
    const cfg = config();
    expect(mergeNewStages(cfg, Object.values(STAGES))).toEqual({ config: cfg, problems: [] });
  });
});

describe('funnelCreatePayload', () => {
  it('builds create.sales_funnel params that the client schema accepts', () => {
    const { params, problems } = funnelCreatePayload(config());
    expect(problems).toEqual([]);
    expect(SalesFunnelCreate.parse(params)).toEqual(params);
    expect(params).toEqual({
      ext_id: 'main',
      name: 'Sales',
      stages: {
        success: { ext_id: 'main:won', name: 'Closed Won' },
        failed: { ext_id: 'main:lost', name: 'Closed Lost' },
        in_process: [
          { ext_id: 'main:new', name: 'New', order: 10 },
          { ext_id: 'main:qualified', name: 'Qualified', order: 20 },
          { ext_id: 'main:proposal', name: 'Proposal', order: 30 },
        ],
      },
    });
  });

  it('sends stages that share an ext_id once, in order', () => {
    let cfg = overrideStage(config(), 'qualified', { order: 5 });
    cfg = overrideStage(cfg, 'proposal', { extId: 'main:qualified', name: 'Qualified', order: 5 });
    const { params } = funnelCreatePayload(cfg);
    expect(params?.stages.in_process.map((s) => s.ext_id)).toEqual(['main:qualified', 'main:new']);
  });

  it('builds params with a proposed stage, the proposal reported as a warning', () => {
    const { params, problems } = funnelCreatePayload(config([STAGES.new, STAGES.won], UNKNOWN_CRM));
    expect(params?.stages.failed).toEqual({ ext_id: 'main:lost', name: 'Lost' });
    expect(problems.map((problem) => [problem.code, problem.severity])).toEqual([
      ['terminal_stage_proposed', 'warning'],
    ]);
  });

  it('reports stages sharing an ext_id that disagree', () => {
    const cfg = overrideStage(config(), 'proposal', { extId: 'main:new' });
    expect(codes(funnelCreatePayload(cfg).problems)).toEqual(['stage_ext_id_conflict']);
  });
});

describe('funnel ext_id per site', () => {
  const pipeline = { id: 'default', name: 'Sales' };
  const funnelOf = (site: string, sitePrefixes: Record<string, string> = {}) =>
    generateMapping(
      { crm: 'espocrm', site, pipeline, stages: Object.values(STAGES) },
      { extIdTemplate: '{id}', prefix: sitePrefixOf({ sitePrefixes }, site) },
    ).config.funnel.extId;

  it('gives pipeline `default` of two CRM sites two funnels, so one site’s export never renames the other’s', () => {
    const first = funnelOf('https://espo.example.com');
    const second = funnelOf('https://odoo.example.com');
    expect(first).not.toBe(second);
    expect(first.endsWith('default')).toBe(true);
  });

  it('keeps the funnel `default` for a site pinned to the prefix it had before version 2', () => {
    expect(funnelOf('https://espo.example.com', { 'https://espo.example.com': '' })).toBe('default');
  });
});
