/* SPDX-License-Identifier: MIT */
/* serve-socket.c: what the server writes and reads on a connection's socket beside libsoup:
 * the answers libsoup cannot give (a refused connection, a request that did not come in
 * whole), the bytes received, the client's address (serve-http.c, docs/serve.md). */
#include "config.h"

#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#ifdef __linux__
#include <linux/tcp.h> /* tcp_info with tcpi_bytes_received (glibc's netinet/tcp.h is older) */
#include <netinet/in.h>
#endif

#include <gio/gio.h>
#include <glib.h>

#include "serve.h"

void
fsim_i_serve_socket_answer (GSocket *socket, const char *status_line, const FsimServeReply *r)
{
    g_return_if_fail (socket != NULL && status_line != NULL && r != NULL);
    gboolean busy = g_str_has_prefix (status_line, "503 ");
    g_autofree char *answer = g_strdup_printf (
        "HTTP/1.1 %s\r\nConnection: close\r\n%s%s%sContent-Type: %s\r\nContent-Length: %zu\r\n"
        "Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\n"
        "Content-Security-Policy: %s\r\n\r\n%s",
        status_line, busy ? "Retry-After: " : "", busy ? G_STRINGIFY (FSIM_SERVE_RETRY_AFTER) : "",
        busy ? "\r\n" : "", r->content_type, r->body->len, FSIM_SERVE_CSP, r->body->str);
    g_socket_send_with_blocking (socket, answer, strlen (answer), FALSE, NULL, NULL);
}

gint64
fsim_i_serve_socket_received (GSocket *socket)
{
    g_return_val_if_fail (socket != NULL, -1);
#if defined(__linux__) && defined(TCP_INFO)
    struct tcp_info info = { 0 };
    socklen_t len = sizeof info;
    if (g_socket_is_closed (socket) ||
        getsockopt (g_socket_get_fd (socket), IPPROTO_TCP, TCP_INFO, &info, &len) != 0 ||
        len < offsetof (struct tcp_info, tcpi_bytes_received) + sizeof info.tcpi_bytes_received)
        return -1;
    return (gint64) info.tcpi_bytes_received;
#else
    return -1;
#endif
}

char *
fsim_i_serve_socket_peer (GSocket *socket)
{
    g_return_val_if_fail (socket != NULL, NULL);
    g_autoptr (GSocketAddress) address = g_socket_get_remote_address (socket, NULL);
    if (!address || !G_IS_INET_SOCKET_ADDRESS (address))
        return NULL;
    return g_inet_address_to_string (
        g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
}
