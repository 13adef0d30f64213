/** A DevTools RemoteObject, as far as console rendering needs it. */
export interface RemoteObject {
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
export function remoteValue(object: RemoteObject): unknown {
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
