/*
 * PeopleAdmin's browser snippet. Customer.io's classic loader works with it unchanged but for its src: the loader's
 * _cio queue is taken over, its stubs replaced, and what the page queued before this script arrived is sent in order.
 * Hand-written ES5 without dependencies; whatever fails (a refused request, a blocked cookie, a missing body) is
 * reported to _cio.on('error', fn) listeners and never thrown into the page.
 */
(function (window, document) {
  'use strict';

  var ANONYMOUS_COOKIE = '_cioanonid';
  var PERSON_COOKIE = '_cioid';
  var YEAR_SECONDS = 31536000;

  var queue = window._cio = window._cio || [];
  if (queue._peopleadmin) {
    return;
  }

  var script = document.currentScript || document.getElementById('cio-tracker');
  var src = (script && script.src) || '';
  var siteId = script && script.getAttribute('data-site-id');
  var endpoint = src.replace(/\/js\/track\.js(\?.*)?$/, '/api/v1/browser/');
  var listeners = {};
  var outbox = [];
  var sending = false;
  var memory = {};

  function emit(name, detail) {
    var handlers = (listeners[name] || []).slice();
    for (var i = 0; i < handlers.length; i++) {
      try {
        handlers[i](detail);
      } catch (ignored) {
        // A listener's own failure stays out of the page and out of the other listeners.
      }
    }
  }

  function fail(message) {
    emit('error', { message: message });
  }

  function readCookie(name) {
    try {
      var match = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
      if (match) {
        return decodeURIComponent(match[1]);
      }
    } catch (blocked) {
      // A sandboxed frame or a privacy setting: the value lives in memory for this page only.
    }
    return memory[name] || null;
  }

  function writeCookie(name, value) {
    memory[name] = value;
    try {
      document.cookie = name + '=' + (value ? encodeURIComponent(value) : '') + '; path=/; max-age=' + (value ? YEAR_SECONDS : 0) +
        '; SameSite=Lax' + (window.location.protocol === 'https:' ? '; Secure' : '');
    } catch (blocked) {
      // Kept in memory only, as above.
    }
  }

  function randomId() {
    var crypto = window.crypto;
    if (crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var bytes = [];
    for (var i = 0; i < 16; i++) {
      bytes.push(crypto && crypto.getRandomValues ? crypto.getRandomValues(new Uint8Array(1))[0] : Math.floor(Math.random() * 256));
    }
    return bytes.map(function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }

  function anonymousId() {
    var id = readCookie(ANONYMOUS_COOKIE);
    if (!id) {
      id = randomId();
      writeCookie(ANONYMOUS_COOKIE, id);
    }
    return id;
  }

  function url(path) {
    return endpoint + path + '?site_id=' + encodeURIComponent(siteId);
  }

  function describe(status, body) {
    var errors = body && body.meta && body.meta.errors;
    return errors && errors.length ? errors.join(' ') : 'PeopleAdmin answered ' + status;
  }

  // One request at a time, so that the server applies them in the page's order (an identify before the events after it).
  function next() {
    if (sending || !outbox.length) {
      return;
    }
    var item = outbox.shift();
    if (!window.fetch) {
      beacon(item);
      next();
      return;
    }
    sending = true;
    var done = function () {
      sending = false;
      next();
    };
    window.fetch(url(item.path), {
      method: 'POST',
      body: JSON.stringify(item.body),
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      credentials: 'omit',
      keepalive: true
    }).then(function (response) {
      if (response.ok) {
        emit('sent', { type: item.path, body: item.body });
        return done();
      }
      return response.json().then(null, function () { return null; }).then(function (body) {
        fail(describe(response.status, body));
        done();
      });
    }, function () {
      fail('PeopleAdmin could not be reached at ' + endpoint);
      done();
    });
  }

  function beacon(item) {
    try {
      var blob = new Blob([JSON.stringify(item.body)], { type: 'text/plain;charset=UTF-8' });
      if (!(navigator.sendBeacon && navigator.sendBeacon(url(item.path), blob))) {
        fail('the browser refused to send a ' + item.path + ' request');
      }
    } catch (error) {
      fail('the browser refused to send a ' + item.path + ' request');
    }
  }

  // Requests still waiting when the visitor leaves go out as beacons, which the browser sends after the page is gone.
  function leave() {
    while (outbox.length) {
      beacon(outbox.shift());
    }
  }

  function send(path, body) {
    if (!siteId) {
      return fail('the loader\'s script element needs its data-site-id attribute');
    }
    outbox.push({ path: path, body: body });
    next();
  }

  function isObject(value) {
    return value !== null && typeof value === 'object' && !(value instanceof Array);
  }

  function copy(value) {
    var result = {};
    if (isObject(value)) {
      for (var key in value) {
        if (Object.prototype.hasOwnProperty.call(value, key)) {
          result[key] = value[key];
        }
      }
    }
    return result;
  }

  function event(type, name, data) {
    var body = { name: name, type: type, data: copy(data) };
    var person = readCookie(PERSON_COOKIE);
    if (person) {
      body.customer_id = person;
    } else {
      body.anonymous_id = anonymousId();
    }
    send('events', body);
  }

  var api = {
    identify: function (attributes) {
      var body = copy(attributes);
      var person = body.id !== undefined && body.id !== null && body.id !== '' ? body.id : body.email;
      if (typeof person !== 'string' && typeof person !== 'number') {
        return fail('identify needs an id (or an email): _cio.identify({id: "user-1", email: "a@example.com"})');
      }
      body.anonymous_id = anonymousId();
      writeCookie(PERSON_COOKIE, String(person));
      send('identify', body);
    },
    track: function (name, data) {
      if (typeof name !== 'string' || !name) {
        return fail('track needs an event name: _cio.track("purchased", {amount: 20})');
      }
      event('event', name, data);
    },
    page: function (name, data) {
      if (isObject(name)) {
        data = name;
        name = undefined;
      }
      var details = copy(data);
      if (details.title === undefined && document.title) {
        details.title = document.title;
      }
      if (details.referrer === undefined && document.referrer) {
        details.referrer = document.referrer;
      }
      event('page', typeof name === 'string' && name ? name : window.location.href, details);
    },
    reset: function () {
      writeCookie(PERSON_COOKIE, null);
      writeCookie(ANONYMOUS_COOKIE, randomId());
    },
    on: function (name, handler) {
      if (typeof handler === 'function') {
        (listeners[name] = listeners[name] || []).push(handler);
      }
    },
    off: function (name, handler) {
      var handlers = listeners[name] || [];
      for (var i = handlers.length - 1; i >= 0; i--) {
        if (handlers[i] === handler || !handler) {
          handlers.splice(i, 1);
        }
      }
    },
    load: function () {}
  };
  api.sidentify = api.identify;

  function call(args) {
    try {
      var method = args && api[args[0]];
      if (!method) {
        return fail('_cio has no method ' + (args && args[0]));
      }
      method.apply(null, Array.prototype.slice.call(args, 1));
    } catch (error) {
      fail(String(error && error.message || error));
    }
  }

  function expose(name) {
    queue[name] = function () {
      call([name].concat(Array.prototype.slice.call(arguments)));
    };
  }

  for (var name in api) {
    if (Object.prototype.hasOwnProperty.call(api, name)) {
      expose(name);
    }
  }

  var waiting = queue.splice(0, queue.length);
  queue.push = function () {
    for (var i = 0; i < arguments.length; i++) {
      call(arguments[i]);
    }
    return 0;
  };
  queue._peopleadmin = true;

  try {
    window.addEventListener('pagehide', leave);
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'hidden') {
        leave();
      }
    });
  } catch (ignored) {
    // Without these events, queued requests still go out one by one while the page lives.
  }

  // on and off first, so that listeners queued before the script arrived hear about the calls queued with them.
  for (var i = 0; i < waiting.length; i++) {
    if (waiting[i] && (waiting[i][0] === 'on' || waiting[i][0] === 'off')) {
      call(waiting[i]);
    }
  }
  for (var j = 0; j < waiting.length; j++) {
    if (waiting[j] && waiting[j][0] !== 'on' && waiting[j][0] !== 'off') {
      call(waiting[j]);
    }
  }
  if (!script || script.getAttribute('data-auto-track-page') !== 'false') {
    call(['page']);
  }
})(window, document);
