import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Link, currentPath, navigate } from "./router";

describe("router", () => {
  it("reads and changes the path under /app", () => {
    window.history.replaceState(null, "", "/app/customers/Q3VzdG9tZXI6MQ");
    expect(currentPath()).toBe("/customers/Q3VzdG9tZXI6MQ");
    navigate("/pipeline");
    expect(window.location.pathname).toBe("/app/pipeline");
  });
  it("follows a link without reloading the page", () => {
    render(<Link to="/my-day">My day</Link>);
    fireEvent.click(screen.getByRole("link", { name: "My day" }));
    expect(window.location.pathname).toBe("/app/my-day");
  });
});
