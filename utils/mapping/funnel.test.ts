import { describe, expect, it } from 'vitest';
import { SalesFunnelCreate } from '../comagic/schemas';
import type { CrmStage } from '../crm/model';
import {
  checkConfig,
  confirmSyntheticStage,
  funnelCreatePayload,
  generateMapping,
  type MappingConfig,
  MappingConfigSchema,
  mergeNewStages,
  overrideStage,
  recognizeStatus,
  renumberStages,
} from './funnel';
import { config, PIPELINE, STAGES, stage } from './test-factories';

const SOURCE = { crm: 'espocrm', site: 'https://crm.example.com', pipeline: PIPELINE } as const;
const EXT = { extIdTemplate: '{id}', prefix: 'espo-' };

function generate(stages: CrmStage[]) {
  return generateMapping({ ...SOURCE, stages }, EXT);
}

const codes = (problems: { code: string }[]) => problems.map((problem) => problem.code);
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

  it('proposes an unconfirmed lost stage when the board shows none (EspoCRM, Odoo) and says so', () => {
    const { config: cfg, problems } = generate([STAGES.new, STAGES.won]);
    expect(entry(cfg, null)).toMatchObject({ status: 'failed', name: 'Lost', userEdited: false });
    expect(codes(problems)).toEqual(['terminal_stage_unconfirmed']);
    expect(problems[0]?.severity).toBe('error');
    expect(problems[0]?.message.ru).toContain('подтвердите');
  });

  it('names the proposed stage in Russian for a Russian pipeline', () => {
    const { config: cfg } = generate([stage('1', 'Новая'), stage('2', 'Успешно реализовано')]);
    expect(entry(cfg, null)?.name).toBe('Закрыто и не реализовано');
  });

  it('reports a pipeline with neither won nor lost', () => {
    const { problems } = generate([STAGES.new, STAGES.qualified]);
    expect(codes(problems)).toEqual(['terminal_stage_unconfirmed', 'terminal_stage_unconfirmed']);
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
    const generated = config([STAGES.new, STAGES.qualified, STAGES.won]);
    const cfg = overrideStage(generated, 'qualified', { status: 'failed' });
    expect(entry(cfg, null)).toBeUndefined();
    expect(entry(cfg, 'qualified')).toMatchObject({ status: 'failed', extId: 'main:lost' });
    expect(checkConfig(cfg)).toEqual([]);
  });

  it('turning the only won stage back to in process brings back a proposed won stage', () => {
    const cfg = overrideStage(config(), 'won', { status: 'in_process' });
    expect(entry(cfg, 'won')).toMatchObject({ status: 'in_process', order: 40, extId: 'main:won' });
    expect(entry(cfg, null)).toMatchObject({ status: 'success', userEdited: false });
  });

  it('throws on a stage the config does not hold', () => {
    expect(() => overrideStage(config(), 'nope', { name: 'x' })).toThrow(RangeError);
  });
});

describe('confirmSyntheticStage', () => {
  it('clears the problem and keeps a rename', () => {
    const generated = config([STAGES.new, STAGES.won]);
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

  it('reports that the funnel needs renumbering when there is no room, and renumbering fixes it', () => {
    const tight = overrideStage(config(), 'qualified', { order: 11 });
    const { config: cfg, problems } = mergeNewStages(tight, [STAGES.new, stage('x', 'X'), STAGES.qualified]);
    expect(codes(problems)).toContain('funnel_needs_reordering');
    expect(entry(cfg, 'x')?.order).toBeNull();
    const renumbered = renumberStages(cfg);
    expect(checkConfig(renumbered)).toEqual([]);
    expect(
      renumbered.stages.filter((s) => s.status === 'in_process').map((s) => [s.crmStageId, s.order]),
    ).toEqual([
      ['new', 10],
      ['qualified', 20],
      ['proposal', 30],
      ['x', 40],
    ]);
  });

  it('lets a lost column found later take over the synthetic stage and its ext_id', () => {
    const confirmed = confirmSyntheticStage(config([STAGES.new, STAGES.won]), 'failed', {
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

  it('gives no params while a stage is unconfirmed', () => {
    const { params, problems } = funnelCreatePayload(config([STAGES.new, STAGES.won]));
    expect(params).toBeNull();
    expect(codes(problems)).toEqual(['terminal_stage_unconfirmed']);
  });

  it('reports stages sharing an ext_id that disagree', () => {
    const cfg = overrideStage(config(), 'proposal', { extId: 'main:new' });
    expect(codes(funnelCreatePayload(cfg).problems)).toEqual(['stage_ext_id_conflict']);
  });
});
