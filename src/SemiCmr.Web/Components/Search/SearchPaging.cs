namespace SemiCmr.Web.Components.Search;

/// <summary>Page arithmetic of the results: pages are 1-based, like MudPagination.</summary>
public static class SearchPaging
{
    public static int PageCount(int total, int pageSize) => total <= 0 ? 0 : (total + pageSize - 1) / pageSize;

    public static int Offset(int page, int pageSize) => Math.Max(0, page - 1) * pageSize;

    /// <summary>"Results 25-48 of 120" style range of a page; empty when there is nothing.</summary>
    public static string Range(int page, int pageSize, int shown, int total) =>
        total == 0 || shown == 0 ? "No results" : $"{Offset(page, pageSize) + 1}\u2013{Offset(page, pageSize) + shown} of {total}";
}
