// Test fake of the Cisco Finesse JavaScript library (finesse.js) and of the
// Finesse server behind it, for tests only. Written from the documented and
// observed behaviour in the Finesse Developer Guide and the Finesse JavaScript library as it behaves (finesse.js
// 10.5.1 as observed, Cisco's ClickToCall sample's calls, the Finesse
// Developer Guide's Dialog and User), never from the library's code:
// - `new finesse.restservices.User({id, onLoad, onChange})` needs
//   finesse.container; onLoad/onChange get the User; every leaf of getData()
//   is a string and empty elements are null; duplicates fire onChange again;
// - `user.makeCall(number, {success, error})` before onLoad throws; on 202
//   `success({status:202, content:"", object:{}})` fires when the response
//   arrives, then Dialog notifications follow (the INITIATING one may come
//   first: `notifyBefore202`); 400 Invalid Destination (also for the own
//   extension), 500 with ApiErrors, 503 with an empty body go to `error`;
// - `user.getDialogs({onCollectionAdd, onCollectionDelete, onLoad})`: dialogs
//   present at load fire no onCollectionAdd (only onLoad, getCollection());
//   a POST adds (onCollectionAdd), a PUT fires the dialog's "change", a
//   repeated POST of a known dialog fires "change", a repeated DELETE and a
//   PUT for a deleted dialog fire nothing; participants.Participant and
//   callvariables.CallVariable are an object for one and an array for more.
// Timings are the fake's (`restMs`, `stepMs`): the real ones are not public.
// Works as a classic script (the browser harness serves it as
// /desktop/assets/js/finesse.js) and imported in Node: it defines
// globalThis.createFakeFinesse, and in a browser also globalThis.finesse.
(function (root) {
  "use strict";

  function createFakeFinesse(options) {
    var opts = options || {};
    var restMs = opts.restMs === undefined ? 5 : opts.restMs;
    var stepMs = opts.stepMs === undefined ? 5 : opts.stepMs;
    var server = {
      /** What the next makeCall does: "answered", "busy", "busyAfterInitiating", "droppedEarly", "invalid", "error500", "error503". */
      scenario: opts.scenario || "answered",
      duplicates: Boolean(opts.duplicates),
      notifyBefore202: Boolean(opts.notifyBefore202),
      requests: [], // makeCall numbers, in order
      userData: {
        dialogs: "/finesse/api/User/1001/Dialogs", extension: "1001001", firstName: "Agent", lastName: "One",
        loginId: "1001", loginName: "agent1", mediaType: "1", pendingState: null, reasonCodeId: "50006",
        roles: { role: "Agent" }, settings: { wrapUpOnIncoming: "OPTIONAL" }, state: opts.agentState || "NOT_READY",
        stateChangeTime: "2026-12-01T10:05:00.000Z", teamId: "1", teamName: "Team1", uri: "/finesse/api/User/1001",
      },
      dialogs: {}, // id -> data, as the server holds them
      nextId: 16817,
      users: [],
      collections: [],
    };

    function later(fn, ms) {
      setTimeout(fn, ms);
    }
    function copy(value) {
      return JSON.parse(JSON.stringify(value));
    }

    function Dialog(data) {
      this._data = data;
      this._handlers = [];
    }
    Dialog.prototype.getId = function () {
      return String(this._data.id);
    };
    Dialog.prototype.getData = function () {
      return this._data;
    };
    Dialog.prototype.getState = function () {
      return this._data.state;
    };
    Dialog.prototype.getParticipants = function () {
      var p = this._data.participants && this._data.participants.Participant;
      return p === undefined || p === null ? [] : Array.isArray(p) ? p : [p];
    };
    Dialog.prototype.addHandler = function (event, fn) {
      if (event === "change") this._handlers.push(fn);
    };
    Dialog.prototype.removeHandler = function (event, fn) {
      this._handlers = this._handlers.filter(function (h) {
        return h !== fn;
      });
    };
    Dialog.prototype._change = function (data) {
      this._data = data;
      var self = this;
      this._handlers.slice().forEach(function (h) {
        h(self);
      });
    };

    function Dialogs(callbacks) {
      this._cb = callbacks || {};
      this._collection = {};
      this._deleted = {};
      server.collections.push(this);
    }
    Dialogs.prototype.getCollection = function () {
      return this._collection;
    };
    Dialogs.prototype.getData = function () {
      var list = Object.keys(this._collection).map(function (id) {
        return this._collection[id].getData();
      }, this);
      return list.length === 0 ? null : { Dialog: list.length === 1 ? list[0] : list };
    };
    Dialogs.prototype._notify = function (event, data) {
      var id = String(data.id);
      var known = this._collection[id];
      if (event === "POST") {
        if (known) known._change(copy(data));
        else {
          var dialog = new Dialog(copy(data));
          this._collection[id] = dialog;
          if (this._cb.onCollectionAdd) this._cb.onCollectionAdd(dialog);
        }
      } else if (event === "PUT") {
        if (known) known._change(copy(data));
      } else if (event === "DELETE") {
        if (!known) return;
        delete this._collection[id];
        if (this._cb.onCollectionDelete) this._cb.onCollectionDelete(known);
      }
    };

    function User(config) {
      if (!lib.container) throw new TypeError("Cannot read properties of undefined (reading 'Config')");
      this._config = config || {};
      this._loaded = false;
      server.users.push(this);
      var self = this;
      later(function () {
        self._loaded = true;
        if (self._config.onLoad) self._config.onLoad(self);
      }, restMs);
    }
    User.prototype._assertLoaded = function () {
      if (!this._loaded) throw new Error("Cannot operate on object that is not fully instantiated, use onLoad/onLoadError handlers");
    };
    User.prototype.getData = function () {
      return server.userData;
    };
    User.prototype.getState = function () {
      return server.userData.state;
    };
    User.prototype.getExtension = function () {
      return server.userData.extension;
    };
    User.prototype.getDialogs = function (callbacks) {
      this._assertLoaded();
      var dialogs = new Dialogs(callbacks);
      later(function () {
        // Present at load: in the collection, no onCollectionAdd.
        Object.keys(server.dialogs).forEach(function (id) {
          dialogs._collection[id] = new Dialog(copy(server.dialogs[id]));
        });
        if (callbacks && callbacks.onLoad) callbacks.onLoad(dialogs);
      }, restMs);
      return dialogs;
    };
    User.prototype.makeCall = function (number, handlers) {
      this._assertLoaded();
      var h = handlers || {};
      var scenario = server.scenario;
      server.requests.push(String(number));
      var invalid = scenario === "invalid" || String(number) === server.userData.extension;
      later(function () {
        if (invalid) {
          if (h.error) h.error({
            status: 400,
            content: "<ApiErrors><ApiError><ErrorType>Invalid Destination</ErrorType><ErrorData>" + number + "</ErrorData><ErrorMessage>Invalid Destination</ErrorMessage></ApiError></ApiErrors>",
            object: { ApiErrors: { ApiError: { ErrorType: "Invalid Destination", ErrorData: String(number), ErrorMessage: "Invalid Destination" } } },
          });
          return;
        }
        if (scenario === "error500") {
          if (h.error) h.error({ status: 500, content: "<ApiErrors>…</ApiErrors>", object: { ApiErrors: { ApiError: { ErrorType: "Internal Server Error", ErrorData: null, ErrorMessage: "CTI connection down" } } } });
          return;
        }
        if (scenario === "error503") {
          if (h.error) h.error({ status: 503, content: "", object: {} });
          return;
        }
        if (!server.notifyBefore202 && h.success) h.success({ status: 202, content: "", object: {} });
        runCall(String(number), scenario);
        if (server.notifyBefore202 && h.success) later(function () { h.success({ status: 202, content: "", object: {} }); }, 1);
      }, restMs);
      return this;
    };

    function participant(address, type, state, cause) {
      return { actions: { action: "DROP" }, mediaAddress: address, mediaAddressType: type, startTime: "2026-12-01T10:06:00.000Z", state: state, stateCause: cause === undefined ? null : cause, stateChangeTime: "2026-12-01T10:06:01.000Z" };
    }

    function dialogData(id, number, state, participants) {
      return {
        associatedDialogUri: null, fromAddress: server.userData.extension, id: String(id),
        mediaProperties: { DNIS: number, callType: "OUT", dialedNumber: number, outboundClassification: null,
          callvariables: { CallVariable: [{ name: "callVariable1", value: "cv1" }, { name: "callVariable2", value: null }] } },
        mediaType: "Voice",
        participants: { Participant: participants.length === 1 ? participants[0] : participants },
        state: state, toAddress: number, uri: "/finesse/api/Dialog/" + id,
      };
    }

    /** Publishes a notification to every Dialogs collection (twice with duplicates). */
    function notify(event, data) {
      server.dialogs[data.id] = data;
      if (event === "DELETE") delete server.dialogs[data.id];
      var copies = server.duplicates ? 2 : 1;
      for (var i = 0; i < copies; i++) {
        server.collections.forEach(function (c) {
          c._notify(event, data);
        });
      }
    }

    function runCall(number, scenario) {
      var id = server.nextId++;
      var agent = server.userData.extension;
      var steps;
      // Whether a busy call's first notification is INITIATING or already
      // FAILED is not in the sources (unverified): "busy" starts FAILED,
      // "busyAfterInitiating" fails after INITIATING.
      var failed = dialogData(id, number, "FAILED", [participant(agent, "AGENT_DEVICE", "FAILED", "BUSY")]);
      if (scenario === "busy") {
        steps = [["POST", failed], ["DELETE", failed]];
      } else if (scenario === "busyAfterInitiating") {
        steps = [
          ["POST", dialogData(id, number, "INITIATING", [participant(agent, "AGENT_DEVICE", "INITIATING")])],
          ["PUT", failed],
          ["DELETE", failed],
        ];
      } else {
        var two = function (state) {
          return dialogData(id, number, state, [participant(agent, "AGENT_DEVICE", state), participant(number, null, state)]);
        };
        var states = scenario === "droppedEarly" ? ["INITIATED", "ALERTING", "DROPPED"] : ["INITIATED", "ALERTING", "ACTIVE", "DROPPED"];
        steps = [["POST", dialogData(id, number, "INITIATING", [participant(agent, "AGENT_DEVICE", "INITIATING")])]]
          .concat(states.map(function (s) { return ["PUT", two(s)]; }))
          .concat([["DELETE", two("DROPPED")]]);
      }
      steps.forEach(function (step, i) {
        later(function () {
          notify(step[0], step[1]);
        }, stepMs * i);
      });
      return id;
    }

    var lib = {
      gadget: { Config: { host: "finesse.example.com", restHost: "finesse.example.com", id: "1001", authorization: "MTAwMTpwYXNzd29yZA==", scheme: "https", localhostPort: "8445" } },
      clientservices: {
        ClientServices: {
          initCalls: 0,
          init: function () {
            lib.clientservices.ClientServices.initCalls += 1;
          },
        },
      },
      restservices: { User: User },
      /** The fake server, for tests: scenarios, agent changes, dialogs present at load. */
      __server: {
        state: server,
        setAgentState: function (state) {
          server.userData = Object.assign({}, server.userData, { state: state });
          var copies = server.duplicates ? 2 : 1;
          server.users.forEach(function (u) {
            for (var i = 0; i < copies; i++) if (u._loaded && u._config.onChange) u._config.onChange(u);
          });
        },
        /** A dialog already alive when the gadget loads (e.g. an inbound call). */
        addExistingDialog: function (number, state) {
          var id = server.nextId++;
          server.dialogs[id] = dialogData(id, number, state, [participant(server.userData.extension, "AGENT_DEVICE", state)]);
          server.dialogs[id].mediaProperties.callType = "ACD_IN";
          return String(id);
        },
        /** A later PUT of an existing dialog. */
        changeDialog: function (id, state) {
          var data = copy(server.dialogs[id]);
          data.state = state;
          notify("PUT", data);
        },
      },
    };
    return lib;
  }

  root.createFakeFinesse = createFakeFinesse;
  if (typeof window !== "undefined" && typeof location !== "undefined") {
    var q = new URLSearchParams(location.search);
    root.finesse = createFakeFinesse({
      scenario: q.get("up_fakeScenario") || undefined,
      duplicates: q.has("up_fakeDuplicates"),
    });
    // ClickToCall.js declares it; the desktop gadget would too.
  }
})(globalThis);
