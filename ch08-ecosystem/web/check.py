"""The browser check of ch08-web: a real headless Chromium opens the page, adds a product and
searches orders, over gRPC-Web, and what the page shows is asserted.

    check.py --bin target/debug/ch08-web --screenshot screenshot.png

Starts the server on a free port (it logs `Server started, listening on <addr>`), drives
Chromium through chromedriver with Selenium, saves a screenshot and exits non-zero when a
check fails.
"""

import argparse
import re
import shutil
import subprocess
import sys

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

WAIT = 20  # seconds; a debug build on a busy CI machine is slow to answer the first call


def start_server(binary):
    server = subprocess.Popen(
        [binary, "--addr", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    for line in server.stdout:
        match = re.search(r"Server started, listening on (\S+)", line)
        if match:
            return server, match.group(1)
    server.wait()
    sys.exit(f"{binary} exited before listening")


def browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=900,900"):
        options.add_argument(argument)
    # Debian's chromium first; Google's Chrome where that is what the machine has.
    browser_binary = shutil.which("chromium") or shutil.which("google-chrome")
    driver_binary = shutil.which("chromedriver")
    if not browser_binary or not driver_binary:
        sys.exit("needs chromium (or google-chrome) and chromedriver on PATH")
    options.binary_location = browser_binary
    return webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver_binary))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True, help="the ch08-web binary")
    parser.add_argument("--screenshot", required=True, help="where to save the page")
    args = parser.parse_args()

    server, addr = start_server(args.bin)
    driver = browser()
    failures = 0

    def check(name, ok, detail=""):
        nonlocal failures
        print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")
        failures += not ok

    try:
        wait = WebDriverWait(driver, WAIT)
        driver.get(f"http://{addr}/")
        check("page loads", "gRPC-Web" in driver.title, driver.title)

        # addProduct, then getProduct: the id and the product appear on the page.
        name = driver.find_element(By.ID, "name")
        name.clear()
        name.send_keys("Sony Walkman")
        description = driver.find_element(By.ID, "description")
        description.clear()
        description.send_keys("Music from a browser")
        price = driver.find_element(By.ID, "price")
        price.clear()
        price.send_keys("120")
        driver.find_element(By.ID, "add").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "product"), "Sony Walkman"))
        product = driver.find_element(By.ID, "product").text
        product_id = driver.find_element(By.ID, "product-id").text
        check("addProduct then getProduct", product == "Sony Walkman: Music from a browser (120)", product)
        check("product id is a UUID", re.fullmatch(r"[0-9a-f-]{36}", product_id) is not None, product_id)

        # searchOrders streams the book's two Google orders, 102 and 104, one by one.
        driver.find_element(By.ID, "search").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "search-status"), "done"))
        orders = [item.text for item in driver.find_elements(By.CSS_SELECTOR, "#orders li")]
        check(
            "searchOrders streams 102 and 104",
            len(orders) == 2 and orders[0].startswith("102: Google Pixel 3A") and orders[1].startswith("104: Google Home Mini"),
            "; ".join(orders),
        )
        status = driver.find_element(By.ID, "search-status").text
        check("stream ends cleanly", status == "done: 2 order(s)", status)

        driver.save_screenshot(args.screenshot)
        print(f"screenshot: {args.screenshot}")
    finally:
        driver.quit()
        server.terminate()
        server.wait()

    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
