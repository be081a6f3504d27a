import { access } from '../auth/require-role.js';
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, IdParamSchema, jsonContent } from '../http/common.schemas.js';
import { csvResponse } from '../http/csv-response.js';
import { createRouter } from '../http/router.js';
import {
  CategorySchema,
  CreateCategorySchema,
  DeleteCategoryQuerySchema,
  DeleteCategoryResultSchema,
  UpdateCategorySchema,
} from './categories.schemas.js';
import { createCategory, deleteCategory, exportCategoryCsv, getCategory, listCategories, updateCategory } from './categories.service.js';

const tags = ['Categories'];

export const categoriesRouter = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/categories',
      operationId: 'listCategories',
      ...access('bot'),
      tags,
      summary: 'List categories with how many numbers each holds',
      responses: { 200: jsonContent(CategorySchema.array(), 'Every category'), ...errorResponses(401, 403) },
    }),
    async (c) => c.json(await listCategories(c.get('ctx')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/categories',
      operationId: 'createCategory',
      ...access('admin'),
      tags,
      summary: 'Create a category',
      request: { body: { required: true, content: { 'application/json': { schema: CreateCategorySchema } } } },
      responses: { 201: jsonContent(CategorySchema, 'Created'), ...errorResponses(400, 401, 403, 409) },
    }),
    async (c) => c.json(await createCategory(c.get('ctx'), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/categories/{id}',
      operationId: 'getCategory',
      ...access('bot'),
      tags,
      summary: 'One category',
      request: { params: IdParamSchema },
      responses: { 200: jsonContent(CategorySchema, 'The category'), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => c.json(await getCategory(c.get('ctx'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/categories/{id}/export.csv',
      operationId: 'exportCategoryCsv',
      ...access('staff'),
      tags,
      summary: 'The category\'s numbers as CSV: normalized_number,original_number,created_at,name (streamed)',
      request: { params: IdParamSchema },
      responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...errorResponses(400, 401, 403, 404, 429) },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      await getCategory(c.get('ctx'), id);
      return csvResponse(c, exportCategoryCsv(c.get('ctx'), id), `category-${id}.csv`);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/categories/{id}',
      operationId: 'updateCategory',
      ...access('admin'),
      tags,
      summary: 'Rename or describe a category',
      request: {
        params: IdParamSchema,
        body: { required: true, content: { 'application/json': { schema: UpdateCategorySchema } } },
      },
      responses: { 200: jsonContent(CategorySchema, 'Updated'), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await updateCategory(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/categories/{id}',
      operationId: 'deleteCategory',
      ...access('admin'),
      tags,
      summary: 'Delete a category; one that holds numbers needs move_to or cascade=true',
      request: { params: IdParamSchema, query: DeleteCategoryQuerySchema },
      responses: { 200: jsonContent(DeleteCategoryResultSchema, 'Deleted'), ...errorResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await deleteCategory(c.get('ctx'), c.req.valid('param').id, c.req.valid('query')), 200),
  );
