import { STATUS_CODES, maxHeaderSize } from 'node:http';
import type { Socket } from 'node:net';
import { CrmError } from '@crm/engine';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { localeOf } from './request-context';

type ClientError = Parameters<NonNullable<FastifyServerOptions['clientErrorHandler']>>[0];

/** Accept-Language read from the raw bytes of a request Node could not parse. */
function localeOfPacket(packet: unknown) {
  const text = Buffer.isBuffer(packet) ? packet.toString('latin1') : '';
  return localeOf(/\r\naccept-language:[ \t]*([^\r\n]*)/i.exec(text)?.[1]);
}

function errorOf(code: string): CrmError {
  if (code === 'HPE_HEADER_OVERFLOW') return new CrmError('request_header_too_large', { limit: maxHeaderSize });
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return new CrmError('request_timeout');
  return new CrmError('bad_request');
}

/**
 * Node's HTTP parser refuses some requests before Fastify has a request object: headers beyond
 * the size limit (431; a long URL counts), a request line with unencoded non-ASCII bytes or a
 * header with a NUL (400), a request that never finished arriving (408). They are answered in the
 * one error shape too, in the language the raw request asked for, and the connection is closed.
 */
export function answerClientError(this: FastifyInstance, error: ClientError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const crm = errorOf(error.code);
  this.log.debug({ err: error }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify(crm.toBody(localeOfPacket(error.rawPacket)));
    socket.write(
      `HTTP/1.1 ${crm.status} ${STATUS_CODES[crm.status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
