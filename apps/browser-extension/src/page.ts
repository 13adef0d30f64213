import {
  type ConsoleEntry,
  consoleText,
  type DialogInfo,
  type DialogPolicy,
  LIMITS,
  ProtocolError,
} from '@ports/browser-protocol';
import { DebuggerSession, sessionOf } from './debugger-session.js';
import { REFS_KEY } from './in-page/collect-snapshot.js';

/** The handles of elements a command acts on, freed together when it is done. */
const ELEMENT_GROUP = 'browser-mcp-elements';

/** The page's own console messages kept per tab, since its last navigation. */
const MAX_CONSOLE_ENTRIES = LIMITS.maxConsoleEntries;

/**
 * What the extension knows of one driven tab: its debugger session, the console since the last
 * navigation, and the refs of the latest snapshot (valid until the next snapshot or navigation).
 */
export class Page {
  readonly session: DebuggerSession;
  readonly console: ConsoleEntry[] = [];
  /** How dialogs are answered: at once by policy, or left open for `browser_handle_dialog` (undefined). */
  dialogPolicy: DialogPolicy | undefined;
  /** The dialog open on the page (it blocks the page's scripts and input) until it is answered. */
  dialog: DialogInfo | undefined;
  /** The latest dialog, open or answered, and how many opened so far: an action compares before and after. */
  lastDialog: DialogInfo | undefined;
  dialogCount = 0;
  /** The file chooser the page opened (intercepted: no window appears) until files are set on it. */
  fileChooser: { readonly backendNodeId: number; readonly multiple: boolean } | undefined;
  fileChooserCount = 0;
  readonly #dialogWaiters = new Set<(dialog: DialogInfo) => void>();
  #refs: ReadonlySet<string> = new Set();
  #refsGeneration = -1;
  #world: Promise<number> | undefined;

  private constructor(session: DebuggerSession) {
    this.session = session;
  }

  /** The tab this page is. */
  get tabId(): number {
    return this.session.tabId;
  }

  /**
   * The next snapshot's generation (refs carry it): unique across pages and service worker
   * lifetimes, so a ref from before a restart can never name an element of a later snapshot.
   */
  nextGeneration(): Promise<number> {
    return nextSnapshotGeneration();
  }

  /** Keeps the refs of the snapshot just taken (their elements stay in the page's isolated world). */
  setRefs(generation: number, refs: ReadonlySet<string>): void {
    this.#refsGeneration = generation;
    this.#refs = refs;
  }

  /**
   * Our isolated world in the page's main frame: the page's scripts can neither see the elements
   * our refs name nor break the snapshot. Created again after each navigation.
   */
  world(): Promise<number> {
    this.#world ??= (async () => {
      const { frameTree } = await this.session.send<{ frameTree: { frame: { id: string } } }>(
        'Page.getFrameTree',
      );
      const { executionContextId } = await this.session.send<{ executionContextId: number }>(
        'Page.createIsolatedWorld',
        { frameId: frameTree.frame.id, worldName: 'browser-mcp', grantUniveralAccess: false },
      );
      return executionContextId;
    })();
    this.#world.catch(() => {
      this.#world = undefined;
    });
    return this.#world;
  }

  /**
   * The element a ref of the latest snapshot names, as a handle (`objectId`) in our isolated world
   * that DOM and Runtime commands take directly; a clear error for an older or unknown ref. Free
   * the handles with {@link Page.releaseElements} when the command is done.
   */
  async elementOf(ref: string, element: string): Promise<string> {
    this.#checkRef(ref, element);
    const { result } = await this.session.send<{ result: { objectId?: string } }>('Runtime.evaluate', {
      expression: `globalThis[${JSON.stringify(REFS_KEY)}]?.refs.get(${JSON.stringify(ref)})`,
      contextId: await this.world(),
      objectGroup: ELEMENT_GROUP,
    });
    if (result.objectId === undefined) {
      throw new ProtocolError('ESTALEREF', `Ref ${ref} (${element}) is gone from the page.`);
    }
    return result.objectId;
  }

  /**
   * Frees the handles {@link Page.elementOf} gave out; never throws, never waits (a dialog the
   * action opened blocks the page until it is answered; commands keep their order anyway).
   */
  releaseElements(): void {
    void this.session.send('Runtime.releaseObjectGroup', { objectGroup: ELEMENT_GROUP }).catch(() => {});
  }

  /** Resolves when a dialog opens and stays open (not one the policy answers); `cancel` stops waiting. */
  blockingDialog(): { readonly promise: Promise<DialogInfo>; cancel(): void } {
    let waiter: (dialog: DialogInfo) => void = () => {};
    const promise = new Promise<DialogInfo>((resolve) => {
      waiter = resolve;
      this.#dialogWaiters.add(waiter);
    });
    return { promise, cancel: () => this.#dialogWaiters.delete(waiter) };
  }

  #onDialog(params: Record<string, unknown>): void {
    const type = String(params.type ?? 'alert');
    const info: DialogInfo = {
      type: (['alert', 'confirm', 'prompt', 'beforeunload'].includes(type)
        ? type
        : 'alert') as DialogInfo['type'],
      message: String(params.message ?? ''),
      ...(type === 'prompt' ? { defaultPrompt: String(params.defaultPrompt ?? '') } : {}),
    };
    this.dialogCount += 1;
    const policy = this.dialogPolicy;
    if (policy) {
      // The server's --dialogs: answered at once, so nothing waits on it; the model is told.
      const handled = policy === 'accept' ? 'accepted' : 'dismissed';
      this.lastDialog = { ...info, handled };
      this.#record({
        level: 'dialog',
        text: `${info.type}: ${info.message} (${handled} by browser-mcp)`,
        timestamp: Date.now(),
      });
      void this.session
        .send('Page.handleJavaScriptDialog', {
          accept: policy === 'accept',
          ...(policy === 'accept' && info.defaultPrompt !== undefined
            ? { promptText: info.defaultPrompt }
            : {}),
        })
        .catch(() => {});
      return;
    }
    this.dialog = info;
    this.lastDialog = info;
    this.#record({ level: 'dialog', text: `${info.type}: ${info.message}`, timestamp: Date.now() });
    for (const waiter of [...this.#dialogWaiters]) waiter(info);
  }

  #checkRef(ref: string, element: string): void {
    if (this.#refs.has(ref)) return;
    const generation = /^s(\d+)e\d+$/.exec(ref)?.[1];
    if (generation !== undefined && Number(generation) !== this.#refsGeneration) {
      throw new ProtocolError(
        'ESTALEREF',
        `Ref ${ref} (${element}) is from an older snapshot, or the page changed since: refs are valid until the next ` +
          'snapshot or navigation.',
      );
    }
    throw new ProtocolError('EUNKNOWNREF', `No element with ref ${ref} (${element}) in the latest snapshot.`);
  }

  /** Forgets what belonged to the previous document. */
  #onNavigated(): void {
    this.fileChooser = undefined;
    this.console.length = 0;
    this.#refs = new Set();
    this.#refsGeneration = -1;
    this.#world = undefined;
  }

  #record(entry: ConsoleEntry): void {
    this.console.push(entry);
    if (this.console.length > MAX_CONSOLE_ENTRIES)
      this.console.splice(0, this.console.length - MAX_CONSOLE_ENTRIES);
  }

  /** The page of `tabId`, attached and listening; attached anew when the session went away. */
  static async open(tabId: number, url: string | undefined): Promise<Page> {
    const existing = pages.get(tabId);
    if (existing?.session.attached && sessionOf(tabId) === existing.session) return existing;
    const session = await DebuggerSession.attach(tabId, url);
    const page = new Page(session);
    pages.set(tabId, page);
    session.on('detached', () => {
      if (pages.get(tabId) === page) pages.delete(tabId);
    });
    session.on('Page.frameNavigated', (params) => {
      const frame = params.frame as { parentId?: string } | undefined;
      if (frame && frame.parentId === undefined) page.#onNavigated();
    });
    session.on('Runtime.consoleAPICalled', (params) => {
      const args = (params.args as RemoteObject[] | undefined) ?? [];
      page.#record({
        level: String(params.type ?? 'log'),
        text: consoleText(args.map(remoteValue)),
        timestamp: Date.now(),
      });
    });
    session.on('Runtime.exceptionThrown', (params) => {
      const details = params.exceptionDetails as { text?: string; exception?: RemoteObject } | undefined;
      const description = details?.exception?.description ?? details?.exception?.value ?? '';
      const text = String(description || details?.text || 'Uncaught exception');
      page.#record({
        level: 'error',
        text: text.startsWith('Uncaught') ? text : `Uncaught ${text}`,
        timestamp: Date.now(),
      });
    });
    // A dialog blocks every script and input until it is answered: it stays open for
    // browser_handle_dialog (other commands fail naming it), unless the server chose --dialogs.
    session.on('Page.javascriptDialogOpening', (params) => page.#onDialog(params));
    session.on('Page.javascriptDialogClosed', () => {
      page.dialog = undefined;
    });
    session.on('Page.fileChooserOpened', (params) => {
      page.fileChooser = {
        backendNodeId: Number(params.backendNodeId),
        multiple: params.mode === 'selectMultiple',
      };
      page.fileChooserCount += 1;
    });
    try {
      await Promise.all([
        session.send('Page.enable'),
        session.send('Runtime.enable'),
        // The page's file choosers come to us as events, never as a window on the user's screen.
        session.send('Page.setInterceptFileChooserDialog', { enabled: true }),
      ]);
    } catch (error) {
      // Never leave a page that is attached but not listening.
      if (pages.get(tabId) === page) pages.delete(tabId);
      await session.detach();
      throw error;
    }
    return page;
  }
}

const pages = new Map<number, Page>();

const GENERATION_KEY = 'snapshotGeneration';
let generation: Promise<number> | undefined;

/** Counts snapshots in `chrome.storage.session`, which outlives a stopped service worker. */
function nextSnapshotGeneration(): Promise<number> {
  const previous =
    generation ??
    chrome.storage.session.get(GENERATION_KEY).then((stored) => Number(stored[GENERATION_KEY] ?? 0));
  generation = previous
    .catch(() => 0)
    .then(async (last) => {
      const next = last + 1;
      // Stored before any ref of it is handed out: a restart right after still counts on from it.
      await chrome.storage.session.set({ [GENERATION_KEY]: next });
      return next;
    });
  return generation;
}

/** Detaches from `tabId` if we drive it. */
export async function closePage(tabId: number): Promise<void> {
  const page = pages.get(tabId);
  pages.delete(tabId);
  await page?.session.detach();
}

/** A DevTools RemoteObject, as far as console rendering needs it. */
interface RemoteObject {
  readonly type?: string;
  readonly subtype?: string;
  readonly value?: unknown;
  readonly unserializableValue?: string;
  readonly description?: string;
  readonly preview?: {
    readonly subtype?: string;
    readonly properties?: readonly {
      readonly name: string;
      readonly value?: string;
      readonly type?: string;
    }[];
    readonly overflow?: boolean;
  };
}

/** A console argument as a value the server can show: primitives as is, objects from their preview. */
function remoteValue(object: RemoteObject): unknown {
  if ('value' in object && object.type !== 'object') return object.value;
  if (object.unserializableValue !== undefined) return object.unserializableValue;
  if (object.type === 'undefined') return 'undefined';
  if ('value' in object && object.value !== undefined) return object.value;
  const preview = object.preview;
  if (preview?.properties && object.subtype !== 'error') {
    const entries = preview.properties.map((p) => [p.name, previewValue(p.value, p.type)] as const);
    return preview.subtype === 'array' ? entries.map(([, v]) => v) : Object.fromEntries(entries);
  }
  return object.description ?? String(object.type);
}

function previewValue(value: string | undefined, type: string | undefined): unknown {
  if (value === undefined) return null;
  if (type === 'number') return Number(value);
  if (type === 'boolean') return value === 'true';
  return value;
}
