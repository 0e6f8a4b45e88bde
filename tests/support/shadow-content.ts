/**
 * What the extension's closed shadow roots on a page show (the in-page button, the board badges):
 * a page script, and so Playwright's locators, cannot see into them; the DevTools protocol can.
 */
import type { Page } from 'playwright-core';

interface DomNode {
  localName?: string;
  backendNodeId: number;
  children?: DomNode[];
  shadowRoots?: DomNode[];
  contentDocument?: DomNode;
}

export interface ShadowContent {
  /** The text shown (style sheets left out). */
  text: string;
  html: string;
}

/** The content of the shadow root of each `<tag>` host on the page, in document order. */
export async function shadowContents(page: Page, tag: string): Promise<ShadowContent[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const roots: DomNode[] = [];
    const walk = (node: DomNode) => {
      if (node.localName === tag && node.shadowRoots?.[0]) roots.push(node.shadowRoots[0]);
      for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) walk(child);
      if (node.contentDocument) walk(node.contentDocument);
    };
    walk(root);
    const contents: ShadowContent[] = [];
    for (const shadow of roots) {
      const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: shadow.backendNodeId });
      const { result } = await cdp.send('Runtime.callFunctionOn', {
        objectId: object.objectId!,
        functionDeclaration: `function () {
          const shown = [...this.children].filter((element) => element.localName !== 'style');
          return { text: shown.map((element) => element.textContent).join(''), html: this.innerHTML };
        }`,
        returnByValue: true,
      });
      contents.push(result.value as ShadowContent);
    }
    return contents;
  } finally {
    await cdp.detach();
  }
}
