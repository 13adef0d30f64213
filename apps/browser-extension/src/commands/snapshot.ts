import { type AXNode, formatSnapshot } from '../snapshot-format.js';
import { pageFor, pageInfo } from './context.js';

/** `snapshot.accessibility`: the page's accessibility tree as text with refs. */
export async function snapshot(instanceId: string) {
  const page = await pageFor(instanceId);
  const [{ nodes }, info] = await Promise.all([
    page.session.send<{ nodes: AXNode[] }>('Accessibility.getFullAXTree'),
    pageInfo(page),
  ]);
  const generation = await page.nextGeneration();
  const formatted = formatSnapshot(nodes, generation);
  page.setRefs(generation, formatted.refs);
  return { snapshot: formatted.text, url: info.url, title: info.title };
}
