// The baseline the rater is compared with: the same rating models on V8, as a platform that runs
// Wasm in JavaScript isolates would serve them. One Node process per core (node:cluster), each
// with its own instance of every model, since an isolate runs one call at a time. It answers
// POST /v1/rate with the rater's exact bytes (benchmarks/scripts/http-vs-nginx.sh checks this
// before measuring), so both servers do the same work per request: read the body, wrap it in the
// model's input, call the model, read its rating, decide and answer.
//
// What it leaves out, and the rater does not: per-call time limits (a synchronous Wasm call on
// V8 cannot be interrupted short of terminating a worker thread), memory limits below the
// module's own maximum, API keys, gzip bodies, metrics and hot reload. Each would cost V8 time,
// so leaving them out only flatters the baseline.
//
// Usage: node benchmarks/v8/rater.mjs --config-dir examples/config --port 18083 [--workers N]
import cluster from 'node:cluster';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const args = parseArgs(process.argv.slice(2));
const configDir = args['config-dir'] ?? 'examples/config';
const port = Number(args.port ?? 18083);
const host = args.host ?? '127.0.0.1';
const workers = Number(args.workers ?? os.availableParallelism());

if (cluster.isPrimary) {
  for (let i = 0; i < workers; i++) {
    cluster.fork();
  }
  let ready = 0;
  cluster.on('message', (_worker, message) => {
    if (message === 'listening' && ++ready === workers) {
      console.log(`v8 rater: ${workers} workers on ${host}:${port}`);
    }
  });
  cluster.on('exit', (_worker, code) => {
    console.error(`v8 rater: a worker exited with ${code}`);
    process.exit(1);
  });
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      for (const worker of Object.values(cluster.workers)) {
        worker.kill();
      }
      process.exit(0);
    });
  }
} else {
  const tenants = loadTenants(configDir);
  const server = http.createServer((request, response) => rate(tenants, request, response));
  server.keepAliveTimeout = 0;
  server.listen(port, host, () => process.send('listening'));
}

function parseArgs(argv) {
  const parsed = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) {
      throw new Error(`usage: --config-dir DIR --port N [--host H] [--workers N]; got ${argv[i]}`);
    }
    parsed[argv[i].slice(2)] = argv[i + 1];
  }
  return parsed;
}

// Reads the rater's file layout (snapshot.json and modules/<hex>.wasm) and instantiates every
// model once for this process. Everything constant per tenant is encoded once, as the rater does.
function loadTenants(dir) {
  const snapshot = JSON.parse(fs.readFileSync(path.join(dir, 'snapshot.json'), 'utf8'));
  const models = new Map();
  for (const [name, model] of Object.entries(snapshot.models)) {
    const hex = model.digest.replace(/^sha256:/, '');
    const bytes = fs.readFileSync(path.join(dir, 'modules', `${hex}.wasm`));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      env: {
        abort: () => {
          throw new Error('model aborted');
        },
      },
    });
    models.set(name, {
      name,
      digest: model.digest,
      exports: instance.exports,
      rate: instance.exports[model.entrypoint ?? 'rate'],
      maxInputBytes: model.limits?.maxInputBytes ?? 65536,
    });
  }
  const tenants = new Map();
  for (const [id, tenant] of Object.entries(snapshot.tenants)) {
    const model = models.get(tenant.model);
    tenants.set(id, {
      model,
      threshold: tenant.threshold,
      inputPrefix: Buffer.from(
        `{"tenant":${JSON.stringify(id)},"parameters":${JSON.stringify(tenant.parameters ?? {})},"input":`,
      ),
      responsePrefix: Buffer.from(
        `{"tenant":${JSON.stringify(id)},"model":${JSON.stringify(model.name)},` +
          `"digest":${JSON.stringify(model.digest)},"track":${JSON.stringify(snapshot.track ?? 'stable')},"rating":`,
      ),
    });
  }
  return tenants;
}

const INPUT_END = Buffer.from('}');
const APPROVE = Buffer.from(',"decision":"approve","result":');
const DECLINE = Buffer.from(',"decision":"decline","result":');
const END = Buffer.from('}');

function rate(tenants, request, response) {
  if (request.method !== 'POST' || request.url !== '/v1/rate') {
    return error(response, 404, 'not_found', 'no such endpoint');
  }
  const tenant = tenants.get(request.headers['x-tenant-id']);
  if (tenant === undefined) {
    return error(response, 404, 'unknown_tenant', 'no such tenant');
  }
  const type = request.headers['content-type'];
  if (type === undefined || !type.startsWith('application/json')) {
    return error(response, 415, 'unsupported_media_type', 'send application/json');
  }
  const limit = tenant.model.maxInputBytes;
  const chunks = [];
  let length = 0;
  request.on('data', (chunk) => {
    length += chunk.length;
    if (length <= limit) {
      chunks.push(chunk);
    }
  });
  request.on('end', () => {
    if (length > limit) {
      return error(response, 413, 'payload_too_large', `request body is larger than ${limit} bytes`);
    }
    let output;
    try {
      output = call(tenant, Buffer.concat([tenant.inputPrefix, ...chunks, INPUT_END]));
    } catch {
      return error(response, 500, 'model_trap', 'the model trapped');
    }
    let answer;
    try {
      answer = JSON.parse(output.toString('utf8'));
    } catch {
      return error(response, 500, 'model_bad_output', 'model output is not JSON');
    }
    if (typeof answer.error === 'string') {
      return error(response, 422, 'model_rejected_input', answer.error);
    }
    if (typeof answer.rating !== 'number') {
      return error(response, 500, 'model_bad_output', 'model output has no numeric "rating" field');
    }
    send(
      response,
      200,
      Buffer.concat([
        tenant.responsePrefix,
        Buffer.from(JSON.stringify(answer.rating)),
        answer.rating >= tenant.threshold ? APPROVE : DECLINE,
        output,
        END,
      ]),
    );
  });
}

// The ABI of docs/contracts.md: alloc, copy in, rate, read (ptr << 32 | len), dealloc if exported.
function call(tenant, input) {
  const exports = tenant.model.exports;
  const pointer = exports.alloc(input.length);
  new Uint8Array(exports.memory.buffer, pointer, input.length).set(input);
  const packed = tenant.model.rate(pointer, input.length);
  const outPointer = Number(packed >> 32n);
  const outLength = Number(packed & 0xffffffffn);
  // A copy: the model may reuse or grow its memory on the next call.
  const output = Buffer.from(new Uint8Array(exports.memory.buffer, outPointer, outLength));
  if (exports.dealloc) {
    exports.dealloc(pointer, input.length);
  }
  return output;
}

function error(response, status, code, message) {
  send(response, status, Buffer.from(JSON.stringify({ error: { code, message } })));
}

function send(response, status, body) {
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': body.length,
  });
  response.end(body);
}
