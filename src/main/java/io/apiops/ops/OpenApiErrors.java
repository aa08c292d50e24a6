package io.apiops.ops;

import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Documents the one error shape on every operation of the OpenAPI document: a {@code default} response whose body is
 * {@code ApiError}.
 */
public class OpenApiErrors implements OASFilter {

    private static final String REF = "#/components/schemas/ApiError";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Schema fieldError = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("message", OASFactory.createSchema().addType(Schema.SchemaType.STRING));
        openAPI.getComponents().addSchema("ApiError", OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("The body of every error response")
                .addRequired("error")
                .addRequired("error_description")
                .addProperty("error", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("An OAuth2-style error code such as invalid_request or unauthorized_client"))
                .addProperty("error_description", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("validation_errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                        .items(fieldError)));
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().values().forEach(item -> {
            Map<?, Operation> operations = item.getOperations();
            operations.values().forEach(OpenApiErrors::addDefaultError);
        });
    }

    private static void addDefaultError(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        operation.getResponses().addAPIResponse("default", OASFactory.createAPIResponse()
                .description("Any error, in the API's one error shape")
                .content(OASFactory.createContent().addMediaType("application/json",
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(REF)))));
    }
}
