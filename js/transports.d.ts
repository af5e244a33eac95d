/**
 * Transports move messages between the gadget and the workspace. They do no
 * validation and no call-state logic; handlers receive each inbound message
 * as delivered (an object or a JSON string). Delivery is synchronous.
 */

/** A message as it travels: an object, or its JSON text. */
export type WireMessage = object | string;

/** What a transport that can be disconnected reports to `createGadget`. */
export type TransportStatus =
  | { type: "connected" }
  | { type: "disconnected" }
  | { type: "refused"; code: "SUBSCRIBE_REFUSED"; message: string };

/** The channel the gadget core talks through. */
export interface Transport {
  /** Sends one message to the other side. A transport that is not connected throws `NOT_CONNECTED`. */
  publish(message: WireMessage): void;
  /** Receives inbound messages; returns an idempotent unsubscribe. */
  subscribe(handler: (message: WireMessage) => void): () => void;
  /** False while messages cannot be sent; absent means always connected. */
  readonly connected?: boolean;
  /** Reports connection changes and refusals; returns an unsubscribe. */
  onStatus?(listener: (status: TransportStatus) => void): () => void;
}

/** A transport that can be disconnected (the OpenAjax hub, the Finesse library). */
export interface ConnectingTransport extends ClosableTransport {
  readonly connected: boolean;
  onStatus(listener: (status: TransportStatus) => void): () => void;
}

/** The code thrown by `publish` while a transport is not connected: nothing was sent. */
export declare const NOT_CONNECTED: "NOT_CONNECTED";
/** The code of a `"refused"` status: the container refused the subscription. */
export declare const SUBSCRIBE_REFUSED: "SUBSCRIBE_REFUSED";

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

/** The OpenAjax Hub 2.0 client surface used (`gadgets.Hub`). */
export interface OpenAjaxHub {
  publish(topic: string, data: unknown): void;
  subscribe(
    topic: string,
    onData: (topic: string, data: unknown) => void,
    scope?: unknown,
    onComplete?: (subscriptionId: unknown, success: boolean, error?: unknown) => void,
  ): unknown;
  unsubscribe?(subscriptionId: unknown): void;
  isConnected?(): boolean;
  connect?(onComplete?: (...args: unknown[]) => unknown, scope?: unknown): void;
  disconnect?(onComplete?: (...args: unknown[]) => unknown, scope?: unknown): void;
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
 * Resolves with `gadgets.Hub` once it is connected, whatever the page order:
 * hooks `gadgets.HubSettings.onConnect` and watches `gadgets.Hub.isConnected()`
 * every 50 ms. Memoised per `gadgets` object.
 */
export declare function whenHubConnected(gadgetsGlobal?: GadgetsGlobal): Promise<OpenAjaxHub | undefined>;

/** Options for {@link openAjaxTransport}. */
export interface OpenAjaxTransportOptions {
  /** Default: `gadgets.Hub`, read each time the hub is looked at. */
  hub?: OpenAjaxHub;
  /** Default: `globalThis.gadgets`. */
  gadgets?: GadgetsGlobal;
  /** Default: `"makecall.requests"` (makecall's own name: set your workspace's). */
  publishTopic?: string;
  /** Default: `"makecall.events"` (makecall's own name: set your workspace's). */
  subscribeTopic?: string;
  /** Optional: when it resolves, the hub is looked at at once. */
  ready?: PromiseLike<unknown>;
  /** Called when a handler throws. */
  onError?: (error: unknown) => void;
}

/**
 * A transport over the OpenAjax hub of a Shindig container (Finesse): watches
 * `gadgets.Hub` until connected, subscribes (again after every reconnect),
 * never queues a publish.
 */
export declare const openAjaxTransport: {
  (options?: OpenAjaxTransportOptions): ConnectingTransport;
  /** The same as `openAjaxTransport(options)`; kept for earlier gadgets. */
  connect(options?: OpenAjaxTransportOptions): ConnectingTransport;
};

/** Options for {@link finesseTransport}. */
export interface FinesseTransportOptions {
  /** The Finesse library global. Default: `globalThis.finesse` (from /desktop/assets/js/finesse.js). */
  finesse?: unknown;
  /** The ClientServices configuration. Default: `finesse.gadget.Config`. */
  config?: { id?: string; [key: string]: unknown };
  /** The agent's id. Default: `config.id`. */
  userId?: string;
  /** Call `finesse.clientservices.ClientServices.init(config)`. Default: true. */
  initClientServices?: boolean;
  /** Called when a handler throws or the library reports an error. */
  onError?: (error: unknown) => void;
}

/**
 * A transport on the Finesse JavaScript library for the plain Finesse desktop:
 * `user.makeCall` for a MakeCall, the User and its Dialogs for events.
 */
export declare function finesseTransport(options?: FinesseTransportOptions): ConnectingTransport;

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
