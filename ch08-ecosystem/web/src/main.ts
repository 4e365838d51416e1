// The browser side of ch08-web: chapter 2's ProductInfo and chapter 3's OrderManagement,
// called over gRPC-Web with Connect's transport, on the server that served this page.
import { createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { ProductInfo } from "./gen/product_info_pb";
import { OrderManagement } from "./gen/order_management_pb";

const transport = createGrpcWebTransport({ baseUrl: window.location.origin });
const products = createClient(ProductInfo, transport);
const orders = createClient(OrderManagement, transport);

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function show(id: string, text: string, failed = false) {
  const element = $(id);
  element.textContent = text;
  element.className = failed ? "error" : "";
}

// addProduct, then getProduct with the id the server gave, as chapter 2's client does.
$<HTMLFormElement>("product-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = $<HTMLInputElement>("name").value;
  const description = $<HTMLInputElement>("description").value;
  const price = Number($<HTMLInputElement>("price").value);
  try {
    const id = await products.addProduct({ name, description, price });
    const product = await products.getProduct({ value: id.value });
    show("product-id", id.value);
    show("product", `${product.name}: ${product.description} (${product.price})`);
  } catch (error) {
    show("product", String(error), true);
  }
});

// searchOrders is server streaming: each order is shown the moment it arrives.
$<HTMLFormElement>("search-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const list = $<HTMLUListElement>("orders");
  list.replaceChildren();
  show("search-status", "searching…");
  try {
    let count = 0;
    for await (const order of orders.searchOrders({ value: $<HTMLInputElement>("query").value })) {
      const item = document.createElement("li");
      item.textContent = `${order.id}: ${order.items.join(", ")} → ${order.destination} (${order.price})`;
      list.append(item);
      count++;
    }
    show("search-status", `done: ${count} order(s)`);
  } catch (error) {
    show("search-status", String(error), true);
  }
});
