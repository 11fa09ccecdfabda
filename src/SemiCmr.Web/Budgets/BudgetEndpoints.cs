using SemiCmr.Web.Api;

namespace SemiCmr.Web.Budgets;

public static class BudgetEndpoints
{
    public static IHostApplicationBuilder AddBudgets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<BudgetService>();
        return builder;
    }

    public static IEndpointRouteBuilder MapBudgets(this IEndpointRouteBuilder app)
    {
        var datasets = app.MapGroup("/api/datasets/{id:int}").WithTags("Label budgets");
        datasets.MapGet("/budgets", (int id, BudgetService budgets, CancellationToken ct) => Answer(() => budgets.List(id, ct)));
        datasets.MapGet("/budgets/preview", (int id, double? ratio, int? seed, BudgetService budgets, CancellationToken ct) =>
            Answer(() => budgets.Preview(id, ratio ?? double.NaN, seed ?? 0, ct)));
        datasets.MapPost("/budgets", (int id, CreateBudgetRequest request, BudgetService budgets, CancellationToken ct) =>
            Answer(async () =>
            {
                var created = await budgets.Create(id, request.Ratio ?? double.NaN, request.Seed ?? 0, ct);
                return TypedResults.Created($"/api/budgets/{created.Id}", created);
            }));
        datasets.MapPut("/items/{row:int}/labels", async (int id, int row, SetLabelsRequest request, BudgetService budgets, CancellationToken ct) =>
            request.Labels is null
                ? Problems.Field("labels", "labels is required: a list of class names (empty to make the item unlabeled).")
                : await Answer(() => budgets.SetLabels(id, row, request.Labels, ct)));
        datasets.MapGet("/budgets/{budgetId:int}/suggestions", (int id, int budgetId, int? runId, int? count, BudgetService budgets, CancellationToken ct) =>
            Answer(() => budgets.Suggest(id, budgetId, runId, count ?? 20, ct)));

        var budgetsGroup = app.MapGroup("/api/budgets/{id:int}").WithTags("Label budgets");
        budgetsGroup.MapGet("/", (int id, BudgetService budgets, CancellationToken ct) => Answer(() => budgets.Get(id, ct)));
        budgetsGroup.MapPut("/items/{row:int}", async (int id, int row, SetLabeledRequest request, BudgetService budgets, CancellationToken ct) =>
            request.Labeled is not { } labeled
                ? Problems.Field("labeled", "labeled is required: true to show the item's labels, false to hide them.")
                : await Answer(() => budgets.SetLabeled(id, row, labeled, ct)));
        return app;
    }

    private static async Task<IResult> Answer<T>(Func<Task<T>> action)
    {
        try
        {
            var value = await action();
            return value as IResult ?? TypedResults.Ok(value);
        }
        catch (BudgetProblem problem)
        {
            return Problems.Field(problem.Field, problem.Status, problem.Message);
        }
    }
}
