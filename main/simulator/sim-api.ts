// What a provider route sees and answers: the parsed request, the answer before it is written,
// and the failure a route throws to answer with an error at once.
import type { IncomingHttpHeaders } from 'node:http';

/** A provider request as the route handlers see it. */
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The raw body of a POST; '' for other methods. */
  body: string;
}

/** A route's answer before it is written, so faults can reshape it. */
export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** The same answer without the fields a client needs, for the `missing_fields` fault. */
  withoutRequiredFields?: () => unknown;
}

/**
 * Thrown by route code to answer with an error right away (unknown event, no access, bad
 * argument), so handlers read top to bottom instead of checking a union after every lookup.
 */
export class ApiFailure extends Error {
  constructor(readonly response: ApiResponse) {
    super(`provider answered ${response.status}`);
    this.name = 'ApiFailure';
  }
}
