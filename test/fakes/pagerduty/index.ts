/** The fake PagerDuty REST API v2 and its OpenAPI validator (see fake-pagerduty.ts). */
export { FakePagerDuty, startFakePagerDuty, type FakeIncident, type FakePagerDutyOptions, type FakeUser, type PagerDutyFault, type RecordedRequest } from './fake-pagerduty.js';
export { OpenApiValidator, openApiPath, pagerDutyAcceptHeader } from './openapi-validator.js';
