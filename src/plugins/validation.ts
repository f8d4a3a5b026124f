/**
 * Request validation with Ajv 8. Fastify's default Ajv setup removes unknown body
 * fields silently (`removeAdditional: true`) and coerces types everywhere; here an
 * unknown field is a 400 (`removeAdditional: false` with `additionalProperties: false`
 * in the schemas) and types are coerced only where HTTP has no types: querystrings,
 * path parameters and headers. A JSON body must already carry the right types.
 */
import fp from 'fastify-plugin'
import { Ajv } from 'ajv'
import type { Options } from 'ajv'
import * as ajvFormats from 'ajv-formats'
import type { FastifyInstance } from 'fastify'

// ajv-formats is CommonJS: under NodeNext the callable is `default` (or the module itself).
type AddFormats = (ajv: Ajv) => Ajv
const formatsModule = ajvFormats as unknown as { default: AddFormats | { default: AddFormats } }
const addFormats: AddFormats = typeof formatsModule.default === 'function' ? formatsModule.default : formatsModule.default.default

const BASE: Options = {
  removeAdditional: false,
  useDefaults: true,
  // One error is enough to answer, and stops a hostile body from costing a full walk.
  allErrors: false,
  strict: false,
}

export function createAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({ ...BASE, coerceTypes: coerce ? 'array' : false })
  addFormats(ajv)
  return ajv
}

async function validationPlugin(app: FastifyInstance): Promise<void> {
  const bodyAjv = createAjv(false)
  const stringsAjv = createAjv(true)
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? bodyAjv : stringsAjv
    return ajv.compile(schema)
  })
}

export default fp(validationPlugin, { name: 'backup-doctor-validation', fastify: '5.x' })
