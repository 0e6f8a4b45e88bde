/** What a person changes in the demo CRMs' pages (tests/crm-sites), for the live specs and the bench. */
import type { Page } from 'playwright-core';

/** A person drags a card from its column onto another: the browser's drag and drop events. */
export async function dragCard(page: Page, dealId: string, toStage: string): Promise<void> {
  await page.evaluate(
    ([id, stage]) => {
      const card = document.querySelector(`div.item[data-id="${CSS.escape(id)}"]`);
      const column = document.querySelector(`.group-column-list[data-name="${CSS.escape(stage)}"]`);
      if (!card || !column) throw new Error(`no card ${id} or column ${stage}`);
      const dataTransfer = new DataTransfer();
      card.dispatchEvent(new DragEvent('dragstart', { bubbles: true, dataTransfer }));
      column.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer }));
      column.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer }));
    },
    [dealId, toStage] as const,
  );
}

/** A person changes the stage on the deal's page with the field's inline edit. */
export async function editStage(page: Page, toStage: string): Promise<void> {
  await page.locator('a.inline-edit-link[data-name="stage"]').click();
  await page.locator('select[data-name="stage"]').selectOption(toStage);
  await page.locator('button[data-action="inlineSave"]').click();
}

/** A person drags an Odoo kanban card (found by its name) onto the `column`-th column (from 1). */
export async function dragOdooCard(page: Page, name: string, column: number): Promise<void> {
  await page.evaluate(
    ([cardName, index]) => {
      const card = [...document.querySelectorAll('article.o_kanban_record')].find(
        (article) => article.querySelector('.fw-bold')?.textContent === cardName,
      );
      const group = document.querySelectorAll('.o_kanban_group')[index - 1];
      if (!card || !group) throw new Error(`no card ${cardName} or column ${index}`);
      const dataTransfer = new DataTransfer();
      card.dispatchEvent(new DragEvent('dragstart', { bubbles: true, dataTransfer }));
      group.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer }));
      group.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer }));
    },
    [name, column] as const,
  );
}
