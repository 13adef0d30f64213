import {
  type ConsoleEntry,
  consoleText,
  type DialogInfo,
  type DialogPolicy,
  LIMITS,
  ProtocolError,
} from '@ports/browser-protocol';
import type { Cdp } from './cdp.js';
import { ChildSession } from './child-session.js';
import { type RemoteObject, remoteValue } from './console-values.js';
import { DebuggerSession, resumeUnheard, sessionOf } from './debugger-session.js';
import { REFS_KEY } from './in-page/collect-snapshot.js';
import { NetworkLog } from './network-log.js';

/**
 * Something the page did that an action's reply reports in its `changes`: an error it logged or
 * threw, a download it started. (Dialogs and file choosers have fields of their own.)
 */
export type Happening =
  | { readonly kind: 'error'; readonly text: string }
  | { readonly kind: 'download'; readonly text: string };

/**
 * One document's isolated world our refs live in: the main frame's, or a frame's of another
 * origin (`prefix` `f<n>` in its refs), reached through `cdp` (the tab, or the frame's own process).
 * `owner` is the frame element in the parent world, by its index in that world's `frames`.
 */
export interface FrameWorld {
  readonly cdp: Cdp;
  readonly contextId: number;
  readonly prefix: string;
  readonly owner?: { readonly world: FrameWorld; readonly index: number };
}

/** An element a ref names: its handle, and the world (so the frame and the process) it lives in. */
export interface ElementHandle {
  readonly objectId: string;
  readonly world: FrameWorld;
}

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
  /** The requests of the top document since its last navigation. */
  readonly network: NetworkLog;
  readonly #watchers = new Set<(happening: Happening) => void>();
  /** Frames of other processes (out-of-process iframes) by target id, which is their frame id. */
  readonly #children = new Map<string, ChildSession>();
  /** How dialogs are answered: at once by policy, or left open for `browser_handle_dialog` (undefined). */
  dialogPolicy: DialogPolicy | undefined;
  /** The dialog open on the page (it blocks the page's scripts and input) until it is answered. */
  dialog: DialogInfo | undefined;
  /** The latest dialog, open or answered, and how many opened so far: an action compares before and after. */
  lastDialog: DialogInfo | undefined;
  dialogCount = 0;
  /**
   * The file chooser the page opened (intercepted: no window appears) until files are set on it,
   * with the endpoint of the frame that opened it (its `backendNodeId` is that process's).
   */
  fileChooser:
    | { readonly backendNodeId: number; readonly multiple: boolean; readonly endpoint: Cdp }
    | undefined;
  fileChooserCount = 0;
  readonly #dialogWaiters = new Set<(dialog: DialogInfo) => void>();
  #refs = new Set<string>();
  #refsGeneration = -1;
  #worlds = new Map<string, FrameWorld>();
  /** Our isolated world per endpoint and frame id, created once per document. */
  #isolated = new WeakMap<Cdp, Map<string, Promise<number>>>();
  #mainFrameId: Promise<string> | undefined;
  /** Frames walked apart so far in this generation (their refs' `f<n>`). */
  frameCount = 0;

  private constructor(session: DebuggerSession) {
    this.session = session;
    void this.mainFrameId().then(
      (id) => {
        this.#mainFrame = id;
      },
      () => {},
    );
    this.network = new NetworkLog((frameId) => this.isMainFrame(frameId));
  }

  #mainFrame: string | undefined;
  readonly #claims = new Set<Promise<void>>();

  /**
   * Called when a page opens a window (`target=_blank`, `window.open`) with its tab and the URL, so
   * the new tab joins the page's instance; set once by the service worker.
   */
  static onWindowOpen: ((openerTabId: number, url: string) => Promise<void>) | undefined;

  /** Resolves once every new tab this page opened so far has joined its instance. */
  async tabsClaimed(): Promise<void> {
    await Promise.all([...this.#claims]);
  }

  /** True when `frameId` is the tab's top document (also while its id is not known yet). */
  isMainFrame(frameId: unknown): boolean {
    return this.#mainFrame === undefined || frameId === this.#mainFrame;
  }

  /** Calls `watcher` for each {@link Happening} until the returned function is called. */
  watch(watcher: (happening: Happening) => void): () => void {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  #happened(happening: Happening): void {
    for (const watcher of [...this.#watchers]) watcher(happening);
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

  /**
   * Keeps the refs of the snapshot just taken and the worlds their elements stay in. A snapshot of
   * part of the page (same generation) adds to them: the refs handed out before stay valid.
   */
  setRefs(generation: number, refs: ReadonlySet<string>, worlds: ReadonlyMap<string, FrameWorld>): void {
    if (generation !== this.#refsGeneration) {
      this.#refs = new Set();
      this.#worlds = new Map();
    }
    this.#refsGeneration = generation;
    for (const ref of refs) this.#refs.add(ref);
    for (const [prefix, world] of worlds) this.#worlds.set(prefix, world);
  }

  /** The generation of the refs handed out last (-1 before the first snapshot of this document). */
  get refsGeneration(): number {
    return this.#refsGeneration;
  }

  /** The frame id of the tab's top document. */
  mainFrameId(): Promise<string> {
    this.#mainFrameId ??= this.session
      .send<{ frameTree: { frame: { id: string } } }>('Page.getFrameTree')
      .then(({ frameTree }) => frameTree.frame.id);
    this.#mainFrameId.catch(() => {
      this.#mainFrameId = undefined;
    });
    return this.#mainFrameId;
  }

  /** The sessions of the page's frames of other processes, still attached. */
  frameSessions(): ChildSession[] {
    return [...this.#children.values()].filter((child) => child.attached && child.type === 'iframe');
  }

  /** The session of the out-of-process frame `frameId`, if it is one. */
  childFor(frameId: string): ChildSession | undefined {
    const child = this.#children.get(frameId);
    return child?.attached ? child : undefined;
  }

  /**
   * Our isolated world in frame `frameId` of `cdp` (created once per document), where the page's
   * scripts can neither see the elements our refs name nor break the snapshot. `fresh` drops a
   * world that stopped answering (its frame navigated).
   */
  isolatedWorld(cdp: Cdp, frameId: string, fresh = false): Promise<number> {
    let worlds = this.#isolated.get(cdp);
    if (!worlds) {
      worlds = new Map();
      this.#isolated.set(cdp, worlds);
    }
    const known = fresh ? undefined : worlds.get(frameId);
    if (known) return known;
    const created = cdp
      .send<{ executionContextId: number }>('Page.createIsolatedWorld', {
        frameId,
        worldName: 'browser-mcp',
        grantUniveralAccess: false,
      })
      .then((result) => result.executionContextId);
    worlds.set(frameId, created);
    created.catch(() => {
      if (worlds.get(frameId) === created) worlds.delete(frameId);
    });
    return created;
  }

  /** Our isolated world in the page's main frame. Created again after each navigation. */
  async world(fresh = false): Promise<number> {
    return this.isolatedWorld(this.session, await this.mainFrameId(), fresh);
  }

  /**
   * The element a ref of the latest snapshot names, as a handle (`objectId`) in its isolated world
   * that DOM and Runtime commands of that world's endpoint take directly; a clear error for an
   * older or unknown ref. Free the handles with {@link Page.releaseElements} when the command is done.
   */
  async elementOf(ref: string, element: string): Promise<ElementHandle> {
    this.#checkRef(ref, element);
    const prefix = /^s\d+(f\d+)?e\d+$/.exec(ref)?.[1] ?? '';
    const world = this.#worlds.get(prefix);
    const objectId =
      world &&
      (await this.objectIn(
        world,
        `globalThis[${JSON.stringify(REFS_KEY)}]?.refs.get(${JSON.stringify(ref)})`,
      ).catch(() => undefined));
    if (!world || objectId === undefined) {
      throw new ProtocolError('ESTALEREF', `Ref ${ref} (${element}) is gone from the page.`);
    }
    return { objectId, world };
  }

  /** A handle to what `expression` evaluates to in `world`, or undefined when that is not an object. */
  async objectIn(world: FrameWorld, expression: string): Promise<string | undefined> {
    const { result } = await world.cdp.send<{ result: { objectId?: string } }>('Runtime.evaluate', {
      expression,
      contextId: world.contextId,
      objectGroup: ELEMENT_GROUP,
    });
    return result.objectId;
  }

  /**
   * Frees the handles {@link Page.elementOf} gave out, in every frame's process; never throws,
   * never waits (a dialog the action opened blocks the page until it is answered; commands keep
   * their order anyway).
   */
  releaseElements(): void {
    for (const cdp of new Set<Cdp>([this.session, ...this.#children.values()])) {
      void cdp.send('Runtime.releaseObjectGroup', { objectGroup: ELEMENT_GROUP }).catch(() => {});
    }
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

  /** Endpoints whose events are news (a frame's replayed console is not, until its Runtime is on). */
  readonly #current = new WeakSet<Cdp>();

  /** The endpoint of the frame whose dialog is open (a frame of another process answers its own). */
  #dialogEndpoint: Cdp | undefined;

  /** Answers the open dialog (or the one the policy answers) where it opened. */
  async answerDialog(accept: boolean, promptText?: string): Promise<void> {
    const endpoint = this.#dialogEndpoint ?? this.session;
    await endpoint.send('Page.handleJavaScriptDialog', {
      accept,
      ...(promptText !== undefined ? { promptText } : {}),
    });
  }

  #onDialog(params: Record<string, unknown>, endpoint: Cdp): void {
    this.#dialogEndpoint = endpoint;
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
      void this.answerDialog(policy === 'accept', policy === 'accept' ? info.defaultPrompt : undefined).catch(
        () => {},
      );
      return;
    }
    this.dialog = info;
    this.lastDialog = info;
    this.#record({ level: 'dialog', text: `${info.type}: ${info.message}`, timestamp: Date.now() });
    for (const waiter of [...this.#dialogWaiters]) waiter(info);
  }

  #checkRef(ref: string, element: string): void {
    if (this.#refs.has(ref)) return;
    const generation = /^s(\d+)(?:f\d+)?e\d+$/.exec(ref)?.[1];
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
    this.#worlds = new Map();
    this.#isolated = new WeakMap();
  }

  /** Follows out-of-process frames of `parent` (and theirs in turn, through {@link Page.#listen}) as they come and go. */
  #watchChildren(parent: Cdp): void {
    parent.on('Target.attachedToTarget', (params) => {
      const sessionId = String(params.sessionId ?? '');
      const info = params.targetInfo as { targetId?: string; type?: string } | undefined;
      if (!sessionId || !info?.targetId || !HEARD_TARGETS.has(info.type ?? '')) {
        // Not part of the page (a service worker, a prerendered page…): it runs, and we let it go,
        // so it is neither held alive by us nor mixed into this page's console and requests.
        resumeUnheard(this.tabId, params);
        if (sessionId) void parent.send('Target.detachFromTarget', { sessionId }).catch(() => {});
        return;
      }
      const child = new ChildSession(this.tabId, sessionId, info.targetId, info.type);
      this.#children.set(info.targetId, child);
      child.on('detached', () => {
        if (this.#children.get(info.targetId as string) === child)
          this.#children.delete(info.targetId as string);
        // A frame removed while its dialog was open: nothing blocks the page any more.
        if (this.#dialogEndpoint === child) {
          this.dialog = undefined;
          this.#dialogEndpoint = undefined;
        }
      });
      this.#listen(child);
      // The frame waits for us (`waitForDebuggerOnStart`), so its first requests and messages are
      // heard too; it runs on whatever happens (a worker has no Page domain, for one). Messages a
      // frame that was already running logged before are replayed while Runtime is enabled: they
      // go to the console, but are not news for the action that runs now.
      void Promise.allSettled([...enableDomains(child), autoAttach(child)]).finally(() => {
        this.#current.add(child);
        void child.send('Runtime.runIfWaitingForDebugger').catch(() => {});
      });
    });
    parent.on('Target.detachedFromTarget', (params) => {
      const gone = [...this.#children.values()].find((c) => c.sessionId === params.sessionId);
      gone?.markDetached();
    });
  }

  /**
   * Hears what `cdp` reports of the page: the tab's own session, or a frame of another process
   * (whose console, requests, dialogs and file choosers come only through its own session).
   */
  #listen(cdp: Cdp): void {
    if (cdp === this.session) this.#current.add(cdp);
    this.#watchChildren(cdp);
    this.network.follow(cdp, cdp === this.session);
    cdp.on('Runtime.consoleAPICalled', (params) => {
      const args = ((params.args as RemoteObject[] | undefined) ?? []).map(remoteValue);
      const level = String(params.type ?? 'log');
      const text = consoleText(args);
      this.#record({ level, text, timestamp: Date.now() });
      if ((level === 'error' || level === 'assert') && this.#current.has(cdp))
        this.#happened({ kind: 'error', text });
    });
    cdp.on('Runtime.exceptionThrown', (params) => {
      const details = params.exceptionDetails as { text?: string; exception?: RemoteObject } | undefined;
      const description = details?.exception?.description ?? details?.exception?.value ?? '';
      const text = String(description || details?.text || 'Uncaught exception');
      const said = text.startsWith('Uncaught') ? text : `Uncaught ${text}`;
      this.#record({ level: 'error', text: said, timestamp: Date.now() });
      // One line in an action's reply; the console keeps the stack.
      if (this.#current.has(cdp)) this.#happened({ kind: 'error', text: said.split('\n')[0] as string });
    });
    // A dialog blocks every script and input until it is answered: it stays open for
    // browser_handle_dialog (other commands fail naming it), unless the server chose --dialogs.
    cdp.on('Page.javascriptDialogOpening', (params) => this.#onDialog(params, cdp));
    cdp.on('Page.javascriptDialogClosed', () => {
      this.dialog = undefined;
    });
    cdp.on('Page.fileChooserOpened', (params) => {
      this.fileChooser = {
        backendNodeId: Number(params.backendNodeId),
        multiple: params.mode === 'selectMultiple',
        endpoint: cdp,
      };
      this.fileChooserCount += 1;
    });
    cdp.on('Page.windowOpen', (params) => {
      const claim = Page.onWindowOpen?.(this.tabId, String(params.url ?? '')).catch(() => {});
      if (!claim) return;
      this.#claims.add(claim);
      void claim.finally(() => this.#claims.delete(claim));
    });
    cdp.on('Page.downloadWillBegin', (params) => {
      const name = String(params.suggestedFilename ?? '');
      this.#happened({ kind: 'download', text: `${name ? `${name} ` : ''}(${String(params.url ?? '')})` });
    });
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
    page.#listen(session);
    try {
      await Promise.all(enableDomains(session));
      // Out-of-process iframes as child sessions (Chrome 125+); older Chrome shows them as frames only.
      await autoAttach(session).catch(() => {});
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

/** The kinds of child target that are part of a page: out-of-process frames and dedicated workers. */
const HEARD_TARGETS: ReadonlySet<string> = new Set(['iframe', 'worker']);

/** Turns on the events a page is heard by, on the tab or on a frame of another process. */
function enableDomains(cdp: Cdp): Promise<unknown>[] {
  return [
    cdp.send('Page.enable'),
    cdp.send('Runtime.enable'),
    cdp.send('Network.enable'),
    // The page's file choosers come to us as events, never as a window on the user's screen.
    cdp.send('Page.setInterceptFileChooserDialog', { enabled: true }),
  ];
}

/** Attaches to `cdp`'s out-of-process frames (and workers) as they start, holding each until it is heard. */
function autoAttach(cdp: Cdp): Promise<unknown> {
  return cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
}

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
