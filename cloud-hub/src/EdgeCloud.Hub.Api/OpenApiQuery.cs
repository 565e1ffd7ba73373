using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;

namespace EdgeCloud.Hub.Api;

/// <summary>
/// Describes hand-parsed query parameters in the OpenAPI document: the endpoints parse <see cref="HttpRequest.Query"/>
/// themselves (so each error names its parameter), which leaves the generator nothing to see.
/// </summary>
internal static class OpenApiQuery
{
    /// <summary>Adds the parameters, each as (name, description, required), to the endpoint's operation.</summary>
    public static RouteHandlerBuilder WithQueryParameters(this RouteHandlerBuilder builder, params (string Name, string Description, bool Required)[] parameters) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var (name, description, required) in parameters)
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name,
                    In = ParameterLocation.Query,
                    Required = required,
                    Description = description,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }

            return Task.CompletedTask;
        });
}
