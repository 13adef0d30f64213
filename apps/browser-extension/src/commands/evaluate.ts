import { type Handler, LIMITS, ProtocolError } from '@ports/browser-protocol';
import type { Page } from '../page.js';
import { pageFor } from './context.js';
import { observe } from './observe.js';

interface Evaluated {
  readonly result?: {
    readonly type?: string;
    readonly value?: unknown;
    readonly unserializableValue?: string;
  };
  readonly exceptionDetails?: {
    readonly text?: string;
    readonly exception?: { readonly description?: string; readonly value?: unknown };
  };
}

/**
 * `browser_evaluate`: runs the function in the page's own JavaScript world (as the page's
 * scripts would), with the element as its argument when a ref is given, and answers the JSON of
 * its result. A function that does not parse, or that throws, is an `EEVALUATE` error carrying
 * the page's message.
 */
export const evaluateFunction: Handler<'browser_evaluate'> = async (instanceId, payload) => {
  const page = await pageFor(instanceId);
  const source = payload.function.trim();
  await checkParses(page, source);
  let result = 'undefined';
  const element =
    payload.ref !== undefined
      ? await mainWorldElement(page, payload.ref, payload.element ?? payload.ref)
      : undefined;
  const reply = await observe(page, '', async () => {
    const evaluated = element
      ? await page.session.send<Evaluated>('Runtime.callFunctionOn', {
          functionDeclaration: source,
          objectId: element,
          arguments: [{ objectId: element }],
          returnByValue: true,
          awaitPromise: true,
          userGesture: true,
        })
      : await page.session.send<Evaluated>('Runtime.evaluate', {
          expression: `(${source}\n)()`,
          returnByValue: true,
          awaitPromise: true,
          userGesture: true,
          replMode: false,
        });
    if (evaluated.exceptionDetails) {
      const details = evaluated.exceptionDetails;
      const said =
        details.exception?.description ?? String(details.exception?.value ?? details.text ?? 'it threw');
      throw new ProtocolError('EEVALUATE', `The function threw in the page: ${said.split('\n')[0]}`);
    }
    result = jsonOf(evaluated.result);
  });
  if (element) void page.session.send('Runtime.releaseObject', { objectId: element }).catch(() => {});
  return { result, ...(reply.dialog ? { dialog: reply.dialog } : {}) };
};

/** Compiles the function without running it, so a syntax error is told apart from a throw. */
async function checkParses(page: Page, source: string): Promise<void> {
  const compiled = await page.session.send<{
    exceptionDetails?: { exception?: { description?: string }; text?: string };
  }>('Runtime.compileScript', { expression: `(${source}\n)`, sourceURL: '', persistScript: false });
  if (compiled.exceptionDetails) {
    const said =
      compiled.exceptionDetails.exception?.description ?? compiled.exceptionDetails.text ?? 'SyntaxError';
    throw new ProtocolError('EEVALUATE', `The function does not parse: ${said.split('\n')[0]}`);
  }
}

/** The element of `ref` as an object of the page's main world (refs live in our isolated world). */
async function mainWorldElement(page: Page, ref: string, element: string): Promise<string> {
  try {
    const isolated = await page.elementOf(ref, element);
    const { node } = await page.session.send<{ node: { backendNodeId: number } }>('DOM.describeNode', {
      objectId: isolated,
    });
    const { object } = await page.session.send<{ object: { objectId?: string } }>('DOM.resolveNode', {
      backendNodeId: node.backendNodeId,
    });
    if (object.objectId === undefined)
      throw new ProtocolError('ESTALEREF', `Ref ${ref} (${element}) is gone from the page.`);
    return object.objectId;
  } finally {
    page.releaseElements();
  }
}

/** A returned value as JSON text, capped; `undefined` and values JSON cannot carry as words. */
function jsonOf(result: Evaluated['result']): string {
  if (!result || result.type === 'undefined') return 'undefined';
  if (result.unserializableValue !== undefined) return result.unserializableValue;
  const text = JSON.stringify(result.value, null, 2) ?? 'undefined';
  return text.length > LIMITS.maxEvaluateResultChars
    ? `${text.slice(0, LIMITS.maxEvaluateResultChars)}… (cut at ${LIMITS.maxEvaluateResultChars} characters)`
    : text;
}
