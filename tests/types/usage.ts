// Compiled with `tsc --noEmit` in npm test: the declarations must describe the
// whole public API, so a renamed export or a changed shape fails the build.
import {
  init,
  validateNumber,
  buildMakeCall,
  parseMessage,
  parseStateChange,
  redactNumber,
  memoryBytes,
  CallTracker,
  createGadget,
  postMessageTransport,
  openAjaxTransport,
  finesseTransport,
  hubTransport,
  AsYouType,
  type Validation,
  type MakeCallMessage,
  type Call,
  type CallSnapshot,
  MakecallError,
  type Transport,
  type Gadget,
  type ParsedMessage,
} from "makecall";
import { createSimulatedWorkspace, SAMPLE_STATE_CHANGE, type SimulatedWorkspaceOptions } from "makecall/simulated";

async function main(): Promise<void> {
  await init();

  const result: Validation = validateNumber("(608) 555-9000", { preset: "nanp", accessCode: "9" });
  if (result.ok) {
    const dial: string = result.dial;
    const e164: string | undefined = result.e164;
    console.log(dial, e164, result.kind);
  } else {
    console.log(result.code, result.message, result.index);
  }
  validateNumber(6085559000, "in");

  const message: MakeCallMessage = buildMakeCall("6085559000", { source: "my-crm", plan: "nanp" });
  if ("subtopic" in message) console.log(message.channel, message.subtopic, message.data);
  else console.log(message.subscriberID, message.message.data);

  const parsed: ParsedMessage = parseMessage('{"channel":"Finesse","topic":"Agent"}');
  if (parsed.kind === "callStateChange") console.log(parsed.call.state);
  else if (parsed.kind === "agentState") console.log(parsed.agent.state);

  const call: Call = parseStateChange({});
  console.log(call.callId, call.participants.length, call.callVariables["x"]);

  const tracker = new CallTracker({ maxEndedCalls: 10 });
  const { change, call: snapshot } = tracker.apply(call);
  const snapshots: CallSnapshot[] = tracker.calls();
  console.log(change, snapshot.history.length, snapshots.length, redactNumber("6085559000"), memoryBytes());

  console.log(parseMessage(SAMPLE_STATE_CHANGE).kind);
  const workspace = createSimulatedWorkspace({ scenario: "answered", stepMs: 10, wrapUpMs: 5000 });
  const transport: Transport = workspace.gadgetTransport; // in-process mode always has one
  const workspaceSide = {} as NonNullable<SimulatedWorkspaceOptions["transport"]>;
  const bridged = createSimulatedWorkspace({ transport: workspaceSide });
  // Given a transport, the workspace has no in-process gadget side.
  // @ts-expect-error: possibly undefined
  const none: Transport = bridged.gadgetTransport;
  console.log(none);
  const gadget: Gadget = createGadget({
    transport,
    plan: "nanp",
    agentStatePolicy: "ready",
    dialTimeoutMs: 15000,
    source: "my-crm",
    allowDialDuringCall: false,
    liveCallLimitMs: null,
  });
  const off = gadget.on("call", (c, how, dialled: boolean) => console.log(c.state, how, dialled));
  gadget.on("agent", (agent) => console.log(agent.state));
  gadget.on("error", (error: MakecallError) => console.log(error.code));
  const controller = new AbortController();
  try {
    const placed = await gadget.dial("(608) 555-9000", { signal: controller.signal });
    console.log(placed.callId, placed.state, placed.dial);
  } catch (error) {
    if (error instanceof MakecallError) {
      if (error.code === "CALL_FAILED") console.log(error.stateCause);
      if (error.code === "CALL_IN_PROGRESS" && error.callId !== undefined) {
        const forgotten: CallSnapshot | null = gadget.forgetCall(error.callId);
        const at: number | undefined = forgotten?.forgottenAt;
        console.log(at);
      }
    }
  }
  // `cond && controller.signal` gives false when cond is false: no signal.
  const withSignal = false;
  await gadget.dial("6085559000", { signal: withSignal && controller.signal }).catch((error: MakecallError) => error.path);
  const own: MakecallError = new MakecallError("INVALID_OPTIONS", "a test", { path: "signal" });
  console.log(own.name, own.code, own.path);
  off();
  console.log(gadget.canDial(), gadget.agentState, gadget.calls().length);
  const blocked = gadget.canDial();
  if (!blocked.ok && blocked.code === "CALL_IN_PROGRESS" && blocked.callId) gadget.forgetCall(blocked.callId);
  // @ts-expect-error the id is a string
  gadget.forgetCall(16931876);
  gadget.close();
  workspace.close();

  const iframeSide: Transport = postMessageTransport({
    targetOrigin: "https://workspace.example.com",
    allowedOrigins: ["https://workspace.example.com"],
    acceptFrom: [window.parent, window.top as Window],
  });
  const hubSide = openAjaxTransport({ subscribeTopic: "makecall.events" });
  const offStatus = hubSide.onStatus((status) => {
    if (status.type === "refused") console.log(status.code, status.message);
  });
  offStatus();
  const finesseSide: Transport = finesseTransport({ userId: "1001", initClientServices: false });
  const gadgetOnFinesse = createGadget({ transport: finesseSide, agentStatePolicy: "notReady" });
  gadgetOnFinesse.on("connection", (connected: boolean) => console.log(connected, gadgetOnFinesse.connected));
  try {
    await gadgetOnFinesse.dial("6085559000");
  } catch (error) {
    const e = error as MakecallError;
    if (e.code === "WORKSPACE_ERROR") console.log(e.status, e.errorType, e.errorMessage);
    if (e.code === "NOT_CONNECTED" || e.code === "SUBSCRIBE_REFUSED") console.log("nothing was sent");
  }
  const anyHub: Transport = hubTransport({
    publish: (_message: unknown) => {},
    subscribe: (_handler: (message: unknown) => void) => () => {},
  });
  console.log(iframeSide, hubSide, anyHub);
  const checked = validateNumber("+1 608 555 9000 ext. 12");
  if (checked.ok) console.log(checked.extension, checked.formatted?.national, checked.formatted?.international);
  const typing = new AsYouType("US");
  const shown: string = typing.input("213");
  console.log(shown, typing.reset().input("+1"), new AsYouType().input("+44"));
}

/**
 * What the declarations must refuse: each line below fails to compile
 * (`@ts-expect-error` itself fails if a line compiles), so loosening a type
 * to `any` or `string` breaks the build.
 */
function negativeCases(gadget: Gadget, error: MakecallError): void {
  // @ts-expect-error an error code outside the ErrorCode union
  const code: MakecallError["code"] = "NOT_A_CODE";
  // @ts-expect-error a MakecallError's code is one of the known codes, not any string
  if (error.code === "CALL_FAILD") console.log(code);
  // @ts-expect-error the dial failure's reason is stateCause; `cause` is ES2022's chained error, not declared as a string
  const cause: string = error.cause;
  // @ts-expect-error the constructor takes a known code
  new MakecallError("OOPS", "no such code");
  // @ts-expect-error validateNumber takes a string or a number
  validateNumber({ number: "6085559000" });
  // @ts-expect-error an unknown preset name
  validateNumber("6085559000", "mars");
  // @ts-expect-error an unknown plan option
  validateNumber("6085559000", { minDigit: 3 });
  // @ts-expect-error an unknown gadget option (the core refuses it too: INVALID_OPTIONS)
  createGadget({ transport: gadget as unknown as Transport, dialTimeotMs: 5000 });
  // @ts-expect-error an unknown event name
  gadget.on("calls", () => {});
  // @ts-expect-error dial options take an AbortSignal, not a timeout
  void gadget.dial("6085559000", { timeoutMs: 10 });
  // @ts-expect-error a validation result must be narrowed on ok before reading dial
  const dial: string = validateNumber("6085559000").dial;
  // @ts-expect-error tracker options are an object of known keys
  new CallTracker({ maxEnded: 1 });
  console.log(cause, dial);
}

void main();
void negativeCases;
