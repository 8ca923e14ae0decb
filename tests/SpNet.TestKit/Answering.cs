using System.Text;

namespace SpNet.TestKit;

/// <summary>The answering side of a request/reply or survey test: a REP or RESPONDENT socket or context serving until stopped.</summary>
public static class Answering
{
    /// <summary>
    /// Receives text on <paramref name="port"/> and sends back <paramref name="answer"/> of it, until
    /// <paramref name="stop"/> is canceled or the port closes; either ends the loop quietly, as a server's shutdown does.
    /// </summary>
    public static async Task UntilStoppedAsync(MessagePort port, Func<string, string> answer, CancellationToken stop)
    {
        while (true)
        {
            string text;
            try
            {
                using Message request = await port.ReceiveAsync(stop);
                text = request.ToString();
            }
            catch (Exception ex) when (ex is OperationCanceledException or SpNetException)
            {
                return;
            }
            await port.SendAsync(Encoding.UTF8.GetBytes(answer(text)), stop);
        }
    }
}
