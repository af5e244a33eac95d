/**
 * An in-process simulated Acqueon Workspace (Finesse and Cisco channels) for
 * demos, tests and development without a contact center. It sends only
 * documented shapes; where the docs are silent its behaviour is an
 * assumption (see the README, "Simulated workspace").
 */
import type { Transport, WireMessage } from "./transports.js";

/** The names of the scripted scenarios. */
export type ScenarioName =
  | "answered"
  | "busy"
  | "badDestination"
  | "noAnswer"
  | "noResponse"
  | "apiError"
  | "duplicates"
  | "outOfOrder"
  | "unrelatedCall"
  | "ciscoChannel";

/** A scenario and what it plays. */
export interface ScenarioInfo {
  readonly name: ScenarioName;
  readonly description: string;
  /** The public page the scenario's shapes follow. */
  readonly source: string;
}

/** Every scenario, in a stable order. */
export declare const SCENARIOS: readonly ScenarioInfo[];

/** Thrown by `setScenario` (and the constructor) for an unknown scenario. */
export declare const INVALID_SCENARIO: "INVALID_SCENARIO";
/** Thrown for bad options or arguments. */
export declare const INVALID_INPUT: "INVALID_INPUT";

/** A timer source; inject one in tests. `now` is optional (default `Date.now`). */
export interface SimulatedClock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now?(): number;
}

/** Options for {@link createSimulatedWorkspace}. */
export interface SimulatedWorkspaceOptions {
  /** Initial scenario. Default `"answered"`. */
  scenario?: ScenarioName;
  /** Initial agent state, in Finesse spelling (`"READY"`, `"NOT_READY"`, ...; `"not ready"` is normalised). Default `"READY"`. */
  agentState?: string;
  /** Delay between scripted events, ms. Default 400. */
  stepMs?: number;
  /** Ring time before an answer, ms. Default 2000. */
  ringMs?: number;
  /** Talk time before the scripted hang-up, ms. Default 8000. */
  talkMs?: number;
  /** Ring time before `noAnswer` drops, ms. Default 12000. */
  noAnswerMs?: number;
  /**
   * Wrap-up after the agent's answered calls, ms; 0 (the default) for none.
   * Finesse puts the agent in WORK or WORK_READY after a call when wrap-up
   * is configured; which one, and the timer, are this simulator's
   * (unverified) choice: WORK_READY when the agent returns to READY, WORK
   * when to NOT_READY, for this long or until a state is picked.
   */
  wrapUpMs?: number;
  /** When true (with `transport`), send nothing until the gadget's first message (a ready handshake). Default false. */
  awaitGadget?: boolean;
  /** The workspace side of a real channel. When absent, an in-process pair is made (`gadgetTransport`). */
  transport?: Transport;
  /** First call id; ids increment from it and are sent as strings. Default 16931876. */
  firstCallId?: number;
  /** The agent's extension (`fromAddress`). Default `"5024"`. */
  extension?: string;
  /** Prefix the workspace adds to `toAddress`, e.g. `"9"`. Default `""`. */
  accessCode?: string;
  /** How messages are sent. Default `"object"`. */
  wire?: "object" | "json";
  /**
   * When set, a request in the API Structure packet whose `subscriberID` differs is ignored, as from an
   * unregistered app (an assumption: registration is not public). Default: every packet is answered.
   */
  subscriberId?: string;
  /** Agent identity used in agent-state events. */
  agent?: { loginId?: string; loginName?: string; name?: string; teamId?: string; teamName?: string };
  /** Timers; default `globalThis`. */
  clock?: SimulatedClock;
  /** Called when a gadget handler or wire listener throws. Default: a content-free `console.error`. */
  onError?: (error: unknown) => void;
}

/** One message on the simulated wire. */
export interface WireEntry {
  direction: "toWorkspace" | "toGadget";
  /** The message as sent (a JSON string when `wire` is `"json"`). */
  message: WireMessage;
  /** Clock time, ms. */
  at: number;
}

/** A step of an injected call. */
export type CallStep =
  | "INITIATING"
  | "INITIATED"
  | "ALERTING"
  | "ACTIVE"
  | "DROPPED"
  | "WRAP_UP"
  | "FAILED"
  | { state: string; wait?: number; cause?: string };

/** The script of an unsolicited call for `injectCall`. */
export interface InjectedCall {
  /** Default `"907981406214"`. */
  toAddress?: string;
  /** Default: initiating, initiated, alerting, active. */
  steps?: CallStep[];
  /** `CallType` value. Default `"Outbound Preview"`. */
  callType?: string;
  /** Spelling of the messages. Default `"table"`. */
  shape?: "seed" | "table" | "cisco";
  /** `"manual"` makes it look like the agent's own call. Default `"dialer"`. */
  kind?: "dialer" | "manual";
}

/** A simulated workspace made without `transport`: the gadget's side of its in-process channel is there. */
export interface InProcessSimulatedWorkspace extends SimulatedWorkspace {
  /** The gadget's side of the in-process channel. */
  readonly gadgetTransport: Transport;
}

/** A running simulated workspace. */
export interface SimulatedWorkspace {
  /** The gadget's side of the in-process channel; `undefined` when `transport` was given. */
  readonly gadgetTransport: Transport | undefined;
  /** Every scenario with its description. */
  readonly scenarios: readonly ScenarioInfo[];
  /** The scenario played by the next MakeCall. */
  readonly scenario: ScenarioName;
  /** Switches scenario; throws `INVALID_SCENARIO` for unknown names. */
  setScenario(name: ScenarioName): void;
  /** The agent state, in Finesse spelling: TALKING while an answered call of the agent's is up. */
  readonly agentState: string;
  /** The state the agent returns to when the answered call ends (Finesse's pending state), or null. */
  readonly pendingAgentState: string | null;
  /** Changes the agent state and broadcasts `Agent`/`SetAgentState`; during an answered call, sets the pending state instead. */
  setAgentState(state: string): void;
  /** Sees every message in both directions; returns an unsubscribe. */
  onWire(listener: (entry: WireEntry) => void): () => void;
  /**
   * Plays the scenario as if MakeCall arrived (on the Finesse channel, or `via.channel` "cisco"; answered in
   * packets when `via.packet` is given); returns the call id, or null (`noResponse`, `apiError`, closed).
   */
  placeCall(
    number: string | number,
    via?: { channel?: "finesse" | "cisco"; packet?: { responseUrl?: string; subscriberId?: string } },
  ): string | null;
  /** Broadcasts the agent state again (`Agent`/`SetAgentState`), e.g. when a gadget frame has (re)loaded. */
  announceAgentState(): void;
  /** Emits an unsolicited call (e.g. a dialer call); returns its id, or null when closed. */
  injectCall(script?: InjectedCall): string | null;
  /** Drops a started call (default: the latest live one) with dropped then wrap-up; false if none. */
  hangUp(callId?: string): boolean;
  /** Stops every timer and unsubscribes; idempotent. */
  close(): void;
}

/** Creates a simulated workspace. */
export declare function createSimulatedWorkspace(
  options?: SimulatedWorkspaceOptions & { transport?: undefined },
): InProcessSimulatedWorkspace;
export declare function createSimulatedWorkspace(options: SimulatedWorkspaceOptions): SimulatedWorkspace;

/**
 * The workspace's documented sample state change (a manual outbound call in
 * wrap-up) as JSON text, trailing comma included, as the documentation gives it.
 */
export const SAMPLE_STATE_CHANGE: string;
