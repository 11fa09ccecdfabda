using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SemiCmr.Ml.Budget;
using SemiCmr.Web.Api;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Caching;

namespace SemiCmr.Web.Budgets;

public static class BudgetEndpoints
{
    public static IHostApplicationBuilder AddBudgets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddBudgetService();
        return builder;
    }

    /// <summary>The budget service and what it needs (the cache an annotation invalidates); also used by component tests.</summary>
    public static IServiceCollection AddBudgetService(this IServiceCollection services) =>
        services.AddResourceCache().AddSingleton<BudgetService>();

    public static IEndpointRouteBuilder MapBudgets(this IEndpointRouteBuilder app)
    {
        // Reading budgets is for everyone signed in; making budgets and labelling is an editor's work (on any dataset).
        var datasets = app.MapGroup("/api/datasets/{id:int}").WithTags("Label budgets").RequireAuthorization(Policies.ViewerOrAbove);
        datasets.MapGet("/budgets", List);
        datasets.MapGet("/budgets/preview", Preview);
        datasets.MapPost("/budgets", Create).RequireAuthorization(Policies.EditorOrAbove);
        datasets.MapPut("/items/{row:int}/labels", SetLabels).RequireAuthorization(Policies.EditorOrAbove);
        datasets.MapGet("/budgets/{budgetId:int}/suggestions", Suggest);

        var budgetsGroup = app.MapGroup("/api/budgets/{id:int}").WithTags("Label budgets").RequireAuthorization(Policies.ViewerOrAbove);
        budgetsGroup.MapGet("/", Get);
        budgetsGroup.MapPut("/items/{row:int}", SetLabeled).RequireAuthorization(Policies.EditorOrAbove);
        return app;
    }

    private static async Task<Answer<Ok<List<BudgetSummary>>, Refused.NotFound, Refused.Conflict>> List(int id, BudgetService budgets, CancellationToken ct) =>
        (await budgets.List(id, ct)).Map(TypedResults.Ok);

    private static async Task<Answer<Ok<BudgetPreview>, Refused.Invalid, Refused.NotFound, Refused.Conflict>> Preview(
        int id, double? ratio, int? seed, BudgetService budgets, CancellationToken ct) =>
        (await budgets.Preview(id, ratio ?? double.NaN, seed ?? 0, ct)).Map(TypedResults.Ok);

    private static async Task<Answer<Created<BudgetResponse>, Refused.Invalid, Refused.NotFound, Refused.Conflict>> Create(
        int id, CreateBudgetRequest request, BudgetService budgets, ClaimsPrincipal user, CancellationToken ct)
    {
        var created = await budgets.Create(id, request.Ratio ?? double.NaN, request.Seed ?? 0, Actor.From(user), ct);
        return created.Map(budget => TypedResults.Created($"/api/budgets/{budget.Id}", budget));
    }

    private static async Task<Answer<Ok<ItemLabelsResponse>, Refused.Invalid, Refused.NotFound>> SetLabels(
        int id, int row, SetLabelsRequest request, BudgetService budgets, CancellationToken ct) =>
        request.Labels is null
            ? ServiceProblem.Invalid("labels", "labels is required: a list of class names (empty to make the item unlabeled).")
            : (await budgets.SetLabels(id, row, request.Labels, ct)).Map(TypedResults.Ok);

    private static async Task<Answer<Ok<SuggestionsResponse>, Refused.Invalid, Refused.NotFound>> Suggest(
        int id, int budgetId, int? runId, int? count, BudgetService budgets, CancellationToken ct) =>
        (await budgets.Suggest(id, budgetId, runId, count ?? 20, ct)).Map(TypedResults.Ok);

    private static async Task<Answer<Ok<BudgetResponse>, Refused.NotFound, Refused.Conflict>> Get(int id, BudgetService budgets, CancellationToken ct) =>
        (await budgets.Get(id, ct)).Map(TypedResults.Ok);

    private static async Task<Answer<Ok<BudgetResponse>, Refused.Invalid, Refused.NotFound, Refused.Conflict>> SetLabeled(
        int id, int row, SetLabeledRequest request, BudgetService budgets, CancellationToken ct) =>
        request.Labeled is not { } labeled
            ? ServiceProblem.Invalid("labeled", "labeled is required: true to show the item's labels, false to hide them.")
            : (await budgets.SetLabeled(id, row, labeled, ct)).Map(TypedResults.Ok);
}
