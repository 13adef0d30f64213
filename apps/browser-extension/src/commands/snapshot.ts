import { type Handler, ProtocolError } from '@ports/browser-protocol';
import { collectSnapshot, REFS_KEY, type SnapshotRow } from '../in-page/collect-snapshot.js';
import { formatSnapshot, refsOf } from '../snapshot-format.js';
import { pageFor, pageInfo } from './context.js';

/** The walker as the page evaluates it: its source, called with the generation. */
const COLLECT = collectSnapshot.toString();

/** `snapshot.accessibility`: the page as text with refs, computed in one evaluation in the page. */
export const snapshot: Handler<'snapshot.accessibility'> = async (instanceId) => {
  const page = await pageFor(instanceId);
  const [generation, contextId] = await Promise.all([page.nextGeneration(), page.world()]);
  const [walked, info] = await Promise.all([
    page.session.send<{ result?: { value?: SnapshotRow[] }; exceptionDetails?: { text?: string } }>(
      'Runtime.evaluate',
      {
        expression: `(${COLLECT})(${generation}, ${JSON.stringify(REFS_KEY)})`,
        contextId,
        returnByValue: true,
      },
    ),
    pageInfo(page),
  ]);
  if (walked.exceptionDetails) {
    throw new ProtocolError(
      'EDEBUGGER',
      `The snapshot could not be taken: ${walked.exceptionDetails.text ?? 'the page threw'}.`,
    );
  }
  const rows = walked.result?.value ?? [];
  page.setRefs(generation, refsOf(rows));
  return { snapshot: formatSnapshot(rows), url: info.url, title: info.title };
};
