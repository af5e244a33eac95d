/**
 * Transports move messages between the gadget and the workspace. They do no
 * validation and no call-state logic; handlers receive each inbound message
 * as delivered (an object or a JSON string). Delivery is synchronous.
 */

/** A message as it travels: an object, or its JSON text. */
export type WireMessage = object | string;

/** The channel the gadget core talks through. */
export interface Transport {
  /** Sends one message to the other side. */
  publish(message: WireMessage): void;
  /** Receives inbound messages; returns an idempotent unsubscribe. */
  subscribe(handler: (message: WireMessage) => void): () => void;
}

/** A transport that can release everything it holds. */
export interface ClosableTransport extends Transport {
  /** Unsubscribes every handler; later `publish`/`subscribe` calls throw `INVALID_TRANSPORT`. */
  close(): void;
}

/** The code on errors thrown for transport misuse. */
export declare const INVALID_TRANSPORT: "INVALID_TRANSPORT";

/** An `Error` thrown for bad transport options. */
export interface TransportError extends Error {
  code: "INVALID_TRANSPORT";
}

/** The minimal window surface the postMessage transport needs. */
export interface MessageWindow {
  addEventListener(type: "message", listener: (event: { data: unknown; origin: string; source: unknown }) => void): void;
  removeEventListener(type: "message", listener: (event: { data: unknown; origin: string; source: unknown }) => void): void;
  parent?: { postMessage(message: unknown, targetOrigin: string): void };
}

/** Options for {@link postMessageTransport}. */
export interface PostMessageTransportOptions {
  /** The workspace origin, e.g. `"https://workspace.example.com"`. Required; `"*"` is refused. */
  targetOrigin: string;
  /** The window to post to. Default: `window.parent`. */
  target?: { postMessage(message: unknown, targetOrigin: string): void };
  /** Origins accepted for inbound messages (compared after URL normalisation). Default: `[targetOrigin]`. */
  allowedOrigins?: string[];
  /**
   * The windows replies are accepted from (`event.source`), e.g. `[window.parent, window.top]` for a
   * workspace that answers from its top frame. The origin check still applies. Default: `[target]`.
   */
  acceptFrom?: object[];
  /** The window to listen on. Default: `globalThis`. */
  window?: MessageWindow;
  /** `"json"` posts `JSON.stringify(message)`. Default: `"object"`. */
  wire?: "object" | "json";
  /** Called when a handler throws. Default: a `console.error` without the message content. */
  onError?: (error: unknown) => void;
}

/** Inbound counters of a postMessage transport. */
export interface PostMessageStats {
  /** Message events seen. */
  received: number;
  /** Events dropped: wrong origin, wrong source window, or data neither object nor string. */
  dropped: number;
}

/** A postMessage transport, with its inbound counters. */
export interface PostMessageTransport extends ClosableTransport {
  readonly stats: PostMessageStats;
}

/** A transport over `window.postMessage` with origin and source checks. */
export declare function postMessageTransport(options: PostMessageTransportOptions): PostMessageTransport;

/** The OpenAjax hub surface used (`gadgets.Hub`). */
export interface OpenAjaxHub {
  publish(topic: string, data: unknown): void;
  subscribe(topic: string, onData: (topic: string, data: unknown) => void): unknown;
  unsubscribe?(subscriptionId: unknown): void;
  isConnected?(): boolean;
}

/** The `gadgets` global of an OpenSocial gadget with `pubsub-2`. */
export interface GadgetsGlobal {
  Hub?: OpenAjaxHub;
  HubSettings?: { onConnect?: (...args: unknown[]) => unknown; [key: string]: unknown };
}

/** Default topic for requests over the OpenAjax hub. */
export declare const DEFAULT_PUBLISH_TOPIC: "makecall.requests";
/** Default topic for workspace events over the OpenAjax hub. */
export declare const DEFAULT_SUBSCRIBE_TOPIC: "makecall.events";

/**
 * Assigns `gadgets.HubSettings.onConnect` synchronously (call at module top
 * level) and resolves with `gadgets.Hub` once connected. Memoised per
 * `gadgets` object.
 */
export declare function whenHubConnected(gadgetsGlobal?: GadgetsGlobal): Promise<OpenAjaxHub | undefined>;

/** Options for {@link openAjaxTransport}. */
export interface OpenAjaxTransportOptions {
  /** Default: `globalThis.gadgets?.Hub` (read when `ready` resolves, if given). */
  hub?: OpenAjaxHub;
  /** Default: `"makecall.requests"`. */
  publishTopic?: string;
  /** Default: `"makecall.events"`. */
  subscribeTopic?: string;
  /** Until it resolves, publishes are queued and subscriptions deferred. Usually `whenHubConnected()`. */
  ready?: PromiseLike<unknown>;
  /** Called when a handler throws. */
  onError?: (error: unknown) => void;
}

/** A transport over Finesse's OpenAjax hub. */
export declare const openAjaxTransport: {
  (options?: OpenAjaxTransportOptions): ClosableTransport;
  /** `openAjaxTransport({ ...options, ready: whenHubConnected(options.gadgets) })`; call at top level. */
  connect(options?: Omit<OpenAjaxTransportOptions, "ready"> & { gadgets?: GadgetsGlobal }): ClosableTransport;
};

/** Any publish/subscribe object, e.g. the workspace's PubSub library. */
export interface GenericHub {
  publish(...args: any[]): unknown;
  /** Returns an unsubscribe function, an object with `unsubscribe()`, or an id for `unsubscribe(id)`. */
  subscribe(...args: any[]): unknown;
  unsubscribe?(id: unknown): unknown;
}

/** Options for {@link hubTransport}. */
export interface HubTransportOptions {
  /** When given, `publish(topic, message)` / `subscribe(topic, fn)`; otherwise `publish(message)` / `subscribe(fn)`. */
  topic?: string;
  /** Called when a handler throws. */
  onError?: (error: unknown) => void;
}

/** A transport over any object with `publish`/`subscribe`. */
export declare function hubTransport(hub: GenericHub, options?: HubTransportOptions): ClosableTransport;
