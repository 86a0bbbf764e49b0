"""The baseline for bench/callback.py: a bare Flask app that only decrypts a WeCom callback with
wechatpy and encrypts a fixed reply (no database, no handlers)."""

import os
import time

from flask import Flask, Response, request
from wechatpy.enterprise.crypto import WeChatCrypto

app = Flask(__name__)
crypto = WeChatCrypto(os.environ["WECOM_TOKEN"], os.environ["WECOM_AES_KEY"], os.environ["WECOM_CORP_ID"])
REPLY = "<xml><ToUserName>u</ToUserName><FromUserName>c</FromUserName><CreateTime>0</CreateTime><MsgType>text</MsgType><Content>ok</Content></xml>"


@app.post("/wecom/callback")
def callback() -> Response:
    args = request.args
    crypto.decrypt_message(request.get_data(), args["msg_signature"], args["timestamp"], args["nonce"])
    return Response(
        crypto.encrypt_message(REPLY, args["nonce"], str(int(time.time()))), mimetype="application/xml"
    )
